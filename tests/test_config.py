from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evictwatch.config import ConfigError, load_config, parse_config, scrape_window

REPO = Path(__file__).resolve().parents[1]

GOOD = {
    "http": {"user_agent": "evictwatch (contact: ops@example.org)"},
    "courts": [
        {"id": "alexandria", "source": "va-gdc", "fips": "510",
         "base_url": "https://portal.example.invalid/gdcourts/", "rate_limit_per_s": 1},
        {"id": "arlington", "source": "va-gdc", "fips": "013",
         "base_url": "https://portal.example.invalid/gdcourts/", "rate_limit_per_s": 0.5},
    ],
}


def test_shipped_config_is_valid():
    config = load_config(REPO / "config.yaml")
    court = config.court("alexandria")
    assert (court.source, court.code, court.rate_limit_per_s) == ("va-gdc", "510", 1)
    assert court.zone == "America/New_York" and court.display_name == "Alexandria General District Court"
    travis = config.court("travis-jp1")  # the second court system, listed but not enabled
    assert (travis.source, travis.code, travis.zone, travis.enabled) == ("tyler-odyssey", "Precinct One",
                                                                         "America/Chicago", False)
    assert config.database.url == "sqlite:///data/evictwatch.db"
    assert config.scrape.window.look_back_days == 70 and config.scrape.window.look_ahead_days == 70


def test_lowest_rate_wins_per_host():
    config = parse_config(GOOD, "x.yaml")
    assert config.host_rates() == {"portal.example.invalid": 0.5}


def test_window_defaults_and_overrides():
    config = parse_config(GOOD, "x.yaml")
    today = dt.date(2026, 11, 27)
    window = scrape_window(config, today)
    assert (window.since, window.until) == (dt.date(2026, 9, 18), dt.date(2027, 2, 5))
    window = scrape_window(config, today, since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30))
    assert len(window.days()) == 30
    with pytest.raises(ConfigError, match="before"):
        scrape_window(config, today, since=dt.date(2026, 11, 30), until=dt.date(2026, 11, 1))


@pytest.mark.parametrize("mutate, key_path", [
    (lambda c: c["courts"][1].update(fips="13"), "courts[1].fips"),
    (lambda c: c["courts"][1].pop("fips"), "courts[1].code"),  # Virginia needs its FIPS
    (lambda c: c["courts"][1].update(code="013"), "courts[1].code"),  # fips and code both
    (lambda c: c["courts"][0].update(timezone="America/Austin"), "courts[0].timezone"),
    (lambda c: c["courts"][0].update(name="Alexandria\nBcc: x@y"), "courts[0].name"),
    (lambda c: c["courts"][0].update(rate_limit_per_s=-1), "courts[0].rate_limit_per_s"),
    (lambda c: c["courts"][0].update(base_url="portal.example.invalid"), "courts[0].base_url"),
    (lambda c: c["http"].update(user_agent="evictwatch"), "http.user_agent"),
    (lambda c: c["http"].update(max_concurency_per_host=3), "http.max_concurency_per_host"),
    (lambda c: c.update(courts=[]), "courts"),
    (lambda c: c["courts"][0].update(source="va-gdcc"), "courts[0].source"),
    (lambda c: c.pop("http"), "http"),
])
def test_bad_values_name_file_and_key(mutate, key_path):
    import copy

    raw = copy.deepcopy(GOOD)
    mutate(raw)
    with pytest.raises(ConfigError) as info:
        parse_config(raw, "site.yaml")
    message = str(info.value)
    assert message.startswith("site.yaml:")
    assert f"  {key_path}:" in message


def test_duplicate_court_ids_rejected():
    raw = {**GOOD, "courts": [GOOD["courts"][0], GOOD["courts"][0]]}
    with pytest.raises(ConfigError, match="appears twice"):
        parse_config(raw, "x.yaml")


def test_missing_and_broken_files(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("courts: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(broken)


def test_partners_and_notify_sections():
    import copy

    raw = copy.deepcopy(GOOD)
    raw["notify"] = {"transport": "smtp", "sender": "Watch <w@example.org>", "operators": ["ops@example.org"],
                     "smtp": {"host": "127.0.0.1", "port": 2525, "security": "starttls", "username": "watch"}}
    raw["partners"] = [{"name": "Legal Aid", "emails": ["intake@example.org"],
                        "filters": {"courts": ["alexandria"], "zips": ["22304"], "min_amount": 100}}]
    config = parse_config(raw, "x.yaml")
    assert config.notify.smtp.password_env == "EVICTWATCH_SMTP_PASSWORD"
    assert config.partners[0].receives == ["weekly_list", "urgent_alerts"]


@pytest.mark.parametrize("mutate, key_path", [
    (lambda c: c.update(notify={"transport": "smtp"}), "notify"),
    (lambda c: c.update(notify={"smtp": {"host": "h", "password": "secret"}}), "notify.smtp.password"),
    (lambda c: c.update(partners=[{"name": "A", "emails": ["not-an-address"]}]), "partners[0].emails"),
    (lambda c: c.update(partners=[{"name": "A", "emails": ["a@x.org"], "filters": {"zips": ["2230"]}}]),
     "partners[0].filters.zips"),
    (lambda c: c.update(partners=[{"name": "A", "emails": ["a@x.org"], "send_time": "7am"}]), "partners[0].send_time"),
    (lambda c: c.update(partners=[{"name": "A", "emails": ["a@x.org"], "filters": {"courts": ["nowhere"]}}]),
     "(top level)"),
    (lambda c: c.update(notify={"operators": ["ops@example.org\r\nBcc: x@y"]}), "notify.operators"),
    (lambda c: c.update(notify={"alert_lookback_days": 0}), "notify.alert_lookback_days"),
])
def test_bad_notify_values_name_the_key(mutate, key_path):
    import copy

    raw = copy.deepcopy(GOOD)
    mutate(raw)
    with pytest.raises(ConfigError) as info:
        parse_config(raw, "site.yaml")
    assert f"  {key_path}:" in str(info.value)


def test_code_is_checked_by_the_court_system_and_fips_stays_its_alias():
    import copy

    raw = copy.deepcopy(GOOD)
    raw["courts"][0] = {"id": "alexandria", "source": "va-gdc", "code": " 510 ", "name": "Alexandria GDC",
                        "base_url": "https://portal.example.invalid/gdcourts/", "timezone": "America/Chicago"}
    config = parse_config(raw, "x.yaml")
    alexandria, arlington = config.courts
    assert (alexandria.code, alexandria.zone, alexandria.display_name) == ("510", "America/Chicago", "Alexandria GDC")
    assert (arlington.code, arlington.zone, arlington.display_name) == ("013", "America/New_York", "arlington")
    raw["courts"][0]["code"] = "51"
    with pytest.raises(ConfigError, match=r"courts\[0\]\.code: Value error, a va-gdc court is chosen by its "
                                          r"three-digit FIPS code"):
        parse_config(raw, "x.yaml")
    raw["courts"][1]["fips"] = "13"  # a bad alias is reported once, under the name it was written as
    raw["courts"][0]["code"] = "510"
    with pytest.raises(ConfigError) as info:
        parse_config(raw, "x.yaml")
    assert "courts[1].fips:" in str(info.value) and "courts[1].code" not in str(info.value)
    # The alias is Virginia's: its adapter declares it, and a court of another system is told to use `code`.
    raw["courts"][1] = {"id": "travis", "source": "tyler-odyssey", "fips": "Precinct One",
                        "base_url": "https://portal.example.invalid/PublicAccess/"}
    with pytest.raises(ConfigError, match=r"courts\[1\]\.fips: Value error, a tyler-odyssey court has no `fips`: "
                                          r"give its portal code as `code`"):
        parse_config(raw, "x.yaml")


def test_each_court_runs_on_its_own_local_date():
    from zoneinfo import ZoneInfo

    from evictwatch.jobs.scrape import court_today

    raw = {**GOOD, "courts": [GOOD["courts"][0], {**GOOD["courts"][1], "timezone": "America/Chicago"}]}
    virginia, texas = parse_config(raw, "x.yaml").courts
    just_after_midnight = dt.datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("America/New_York"))
    assert court_today(virginia, just_after_midnight) == dt.date(2026, 12, 1)
    assert court_today(texas, just_after_midnight) == dt.date(2026, 11, 30)  # still Monday there
