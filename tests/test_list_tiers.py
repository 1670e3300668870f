"""Lists as of their sending, urgency in tiers, at the demo's volume.

The stores hold what the demo scrapes (its two simulated courts' dockets, thirteen weeks back and
two ahead) as seen the evening before each day of a week. Every list and digest is checked
against rules worked out here, apart from the code under test: the court calendars from the
`holidays` library, the set-aside window from the court's adapter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import holidays
import pytest

from evictwatch.config import parse_config
from evictwatch.jobs.alerts import send_alerts
from evictwatch.jobs.lists import send_weekly_lists
from evictwatch.jobs.mail import iso_week
from notify.urgency import CourtClock, Tier, urgency
from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store import db
from pipeline.store.notices import CaseView, HearingView, eviction_cases
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.sim.docket import Docket as OdysseyDocket
from scraper.courts.va_gdc.sim.docket import Docket as GdcDocket

MONDAY = dt.date(2026, 11, 30)
WEEK = [MONDAY + dt.timedelta(days=i) for i in range(7)]
# Late send times find that morning's hearings still pending in a store scraped the evening before.
SEND_TIMES = ["07:00", "10:15", "13:45", "07:00", "10:15", "13:45", "09:05"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
COURTS = {  # id -> (source, code, zone, state)
    "alexandria": ("va-gdc", "510", "America/New_York", "VA"),
    "travis-jp5": ("tyler-odyssey", "Precinct Five", "America/Chicago", "TX"),
}
NAMES = {"alexandria": "Alexandria General District Court", "travis-jp5": "Travis County JP, Precinct Five"}
TIER_LABELS = ["Hearing within 3 court days", "Default judgment, set-aside window open",
               "Writ of eviction issued, not executed", ""]


COURT_SETTINGS = [{"id": court, "source": source, "code": code, "name": NAMES[court],
                   "base_url": "https://portal.example.invalid/"} for court, (source, code, _, _) in COURTS.items()]
CASE_NUMBER = re.compile(r"(?:GV\d{8}-\d{2}|J\d-CV-\d{2}-\d{6})(?=,)")  # as "Case: N, court" shows it


def config(tmp_path, day: dt.date, send_time: str, **notify):
    return parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(tmp_path / "outbox"), "sender": "Watch <watch@example.org>", **notify},
        "partners": [
            {"name": "Everyone", "emails": ["all@example.org"], "send_day": WEEKDAYS[day.weekday()],
             "send_time": send_time},
            {"name": "Virginia", "emails": ["va@example.org"], "filters": {"courts": ["alexandria"]},
             "receives": ["urgent_alerts"]},
        ],
        "courts": COURT_SETTINGS,
    }, "test")


@pytest.fixture(scope="module")
def dockets():
    return GdcDocket(1, MONDAY), OdysseyDocket(1, MONDAY)


@pytest.fixture(scope="module")
def stores(tmp_path_factory, dockets):
    """The store as the demo leaves it the evening before each day (made when first asked for)."""
    made: dict[dt.date, Store] = {}
    virginia, texas = dockets

    def on(day: dt.date) -> Store:
        if day not in made:
            seen = day - dt.timedelta(days=1)
            virginia.set_today(seen)
            texas.set_today(seen)
            since, until = seen - dt.timedelta(days=91), seen + dt.timedelta(days=13)
            engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('store')}/demo.db")
            db.upgrade(engine)
            store = Store(engine)
            for court, (source, code, zone, _) in COURTS.items():
                store.ensure_court(Court(court, get_source(source), code, "https://portal.example.invalid/"))
                records = (virginia.truth(code, since, until) if source == "va-gdc"
                           else texas.truth(since, until, frozenset({5}), court))
                store.save([prepare(r.model_copy(update={"court": court}), seen, zone,
                                    get_source(source).vocabulary) for r in records])
            refresh_landlords(store, LandlordOverrides.empty())
            made[day] = store
        return made[day]
    return on


def read(path):
    return message_from_bytes(open(path, "rb").read(), policy=policy.default)


def csv_rows(message) -> list[dict[str, str]]:
    part = next(p for p in message.iter_attachments() if p.get_filename().endswith(".csv"))
    content = part.get_content()
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def third_court_day(court: str, day: dt.date) -> dt.date:
    closed = holidays.country_holidays("US", subdiv=COURTS[court][3], years=[day.year, day.year + 1])
    sits = [d for d in (day + dt.timedelta(days=i) for i in range(14)) if d.weekday() < 5 and d not in closed]
    return sits[2]


def expected(case: CaseView, day: dt.date, at: dt.time) -> tuple[dt.date | None, str]:
    """The case's next hearing at `day` `at` (court time) and the tier it must be listed under."""
    ahead = sorted((h.date, h.time or dt.time.min) for h in case.hearings
                   if h.pending and (h.date > day or (h.date == day and (h.time is None or h.time >= at))))
    nxt = ahead[0][0] if ahead else None
    window = get_source(COURTS[case.court][0]).default_set_aside_days
    if nxt is not None and nxt <= third_court_day(case.court, day):
        return nxt, TIER_LABELS[0]
    judged = sorted((h.date, h.time or dt.time.min, h.result_code) for h in case.hearings
                    if h.result_code in ("default_judgment", "judgment"))
    if window is not None and case.status == "judgment_plaintiff" and judged and judged[-1][2] == "default_judgment" \
            and 0 <= (day - judged[-1][0]).days <= window:  # the last judgment is the default, still open
        return nxt, TIER_LABELS[1]
    if case.status == "writ_issued" and case.writ_issued_date and 0 <= (day - case.writ_issued_date).days <= 14:
        return nxt, TIER_LABELS[2]
    return nxt, ""


@pytest.mark.parametrize("day", WEEK, ids=[d.strftime("%a") for d in WEEK])
def test_a_list_sent_on_any_day_marks_what_cannot_wait_from_that_moment(day, stores, tmp_path):
    send_time = SEND_TIMES[day.weekday()]
    at = dt.time.fromisoformat(send_time)
    store = stores(day)
    cfg = config(tmp_path, day, send_time)
    # The scheduled list: the partner's send day (this day) at its send time, no --today, made on
    # time (a fixed clock: the scheduler fires at the send time, in the schedule's zone).
    on_time = dt.datetime.combine(day, at, tzinfo=ZoneInfo(cfg.schedule.timezone))
    [result] = send_weekly_lists(cfg, store, week=iso_week(day), now=on_time)
    message = read(result.path)
    text = message.get_body(("plain",)).get_content()
    clock = f"{at.hour % 12 or 12}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"
    assert f"as of {day:%a} {day.isoformat()} {clock} (court time)" in text
    listed = {r["Case number"]: r for r in csv_rows(message)}
    cases = {c.case_number: c for c in eviction_cases(store) if not c.closed}
    truth = {n: expected(c, day, at) for n, c in cases.items()}
    urgent = {n for n, (_, tier) in truth.items() if tier}
    assert urgent <= set(listed), sorted(urgent - set(listed))[:5]  # every urgent case is on the list
    for number, row in listed.items():
        nxt, tier = truth[number]
        assert (row["Act now"], row["Next hearing"]) == (tier, nxt.isoformat() if nxt else ""), number
    counts = [sum(1 for _, t in truth.values() if t == label) for label in TIER_LABELS[:3]]
    assert counts[0] > 10 and counts[1] > 10 and counts[2] > 5
    # The spreadsheet holds the body's order: the tiers first, then the rest by hearing day.
    ranks = [TIER_LABELS.index(r["Act now"]) for r in listed.values()]
    assert ranks == sorted(ranks)
    rest = [r["Next hearing"] or "9999" for r in listed.values() if not r["Act now"]]
    assert rest == sorted(rest)
    said = re.search(r"Act now: (.*)\.\r?\n", text).group(1)
    assert said.startswith(f"{counts[0]} hearings within 3 court days") and f"{counts[2]} writs of eviction" in said
    if day.weekday() < 5 and at > dt.time(9, 30):
        # That morning's hearings, not heard yet in the store, are past: never anyone's next hearing.
        passed = [n for n, c in cases.items() if any(h.pending and h.date == day and h.time and h.time < at
                                                      for h in c.hearings)]
        assert passed and all(listed[n]["Next hearing"] != day.isoformat() for n in passed if n in listed)


def test_the_alert_digest_cuts_from_the_bottom_and_its_intro_counts_what_it_shows(stores, tmp_path):
    friday = WEEK[4]  # the next court day is Monday
    cfg = config(tmp_path, friday, "07:00", alert_lookback_days=14)  # two weeks of facts: over the budget
    results = {r.partner: r for r in send_alerts(cfg, stores(friday), today=friday)}
    for partner, result in results.items():
        message = read(result.path)
        table = [(r["Case number"], r["Alert"]) for r in csv_rows(message)]
        order = ["Hearing next court day, no attorney of record", "Default judgment entered",
                 "Writ of possession issued", "Writ executed (lockout)"]
        ranks = [order.index(alert) for _, alert in table]
        assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2, 3}, partner
        for body in (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()):
            numbers = CASE_NUMBER.findall(body)
            assert numbers == [n for n, _ in table[:len(numbers)]], partner  # a prefix: nothing above is cut
            assert 0 < len(numbers) < len(table)
            shown = {alert: sum(1 for _, a in table[:len(numbers)] if a == alert) for alert in order}
            total = {alert: sum(1 for _, a in table if a == alert) for alert in order}
            intro = body[:CASE_NUMBER.search(body).start()]
            assert f"shows the {len(numbers)} most urgent of {len(table)} alerts" in intro
            assert f"{total[order[0]]} hearings next court day without a lawyer" in intro
            cut = next(a for a in order if shown[a] < total[a])
            assert f"{shown[cut]} of {total[cut]} " in intro or (shown[cut] == 0 and "only in the attachments" in intro)


def test_the_spreadsheet_names_courts_leaves_out_a_column_no_court_fills_and_stamps_local_time(stores, tmp_path):
    day = WEEK[2]
    cfg = parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(tmp_path / "outbox")},
        "partners": [{"name": "Both", "emails": ["b@example.org"]},
                     {"name": "Virginia", "emails": ["va@example.org"], "filters": {"courts": ["alexandria"]}}],
        "courts": COURT_SETTINGS,
    }, "test")
    noon_utc = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.timezone.utc)
    results = {r.partner: read(r.path) for r in send_weekly_lists(cfg, stores(day), week=iso_week(day),
                                                                    today=day, now=noon_utc)}
    both, virginia = csv_rows(results["Both"]), csv_rows(results["Virginia"])
    assert "Street" in both[0] and "Street" not in virginia[0]  # Odyssey may publish streets; Virginia never
    assert {r["Court"] for r in both} == set(NAMES.values())
    assert list(both[0])[:4] == ["Court", "Case number", "Filed", "Next hearing"] and list(both[0])[-5] == "Act now"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|", r["Next hearing"]) for r in both)
    text = results["Virginia"].get_body(("plain",)).get_content()
    assert "No street addresses: the public pages of Alexandria General District Court give only city" in text
    assert "Generated 2026-12-02 07:00 EST" in text and "UTC" not in text  # the schedule's zone, not the server's
    both_text = results["Both"].get_body(("plain",)).get_content()
    assert "No set-aside window is stated for default judgments in Travis County JP, Precinct Five" in both_text


def test_a_list_made_after_its_send_time_is_as_of_that_moment(stores, tmp_path):
    """Sent by hand at 4:30 PM: that day's hearings (the simulated courts sit until 2 PM) are
    past, none shown as "next"; on time, at the send time, they are."""
    day = WEEK[0]  # sent at 7:00 AM, before the courts sit
    send_time = SEND_TIMES[day.weekday()]
    cfg = config(tmp_path, day, send_time)
    zone = ZoneInfo(cfg.schedule.timezone)

    def next_hearings_today(made: dt.datetime) -> int:
        [result] = send_weekly_lists(cfg, stores(day), week=iso_week(day), today=day, now=made, resend=True)
        message = read(result.path)
        assert f"as of {day:%a} {day.isoformat()} {made:%-I:%M %p} (court time)" in message.get_body(
            ("plain",)).get_content()
        return sum(r["Next hearing"] == day.isoformat() for r in csv_rows(message))

    assert next_hearings_today(dt.datetime.combine(day, dt.time.fromisoformat(send_time), tzinfo=zone)) > 0
    assert next_hearings_today(dt.datetime.combine(day, dt.time(16, 30), tzinfo=zone)) == 0


def test_a_default_a_later_contested_judgment_replaced_is_not_marked_open():
    """The tenant came back and the court heard it: that judgment is no default to set aside."""
    zone = ZoneInfo("America/New_York")
    clock = CourtClock(dt.datetime(2026, 12, 2, 7, 0, tzinfo=zone), set_aside_days=10)

    def case(*results: tuple[dt.date, str]) -> CaseView:
        hearings = tuple(HearingView(day, dt.time(9, 30), code.replace("_", " ").title(), code, "Return", "2B")
                         for day, code in results)
        return CaseView("alexandria", "GV26000001-00", dt.date(2026, 11, 1), (), (), hearings, None, None, None,
                        "judgment_plaintiff", False, None, None, 0, 0, dt.datetime(2026, 11, 2, tzinfo=zone))

    default_only = case((dt.date(2026, 11, 25), "default_judgment"))
    contested_after = case((dt.date(2026, 11, 25), "default_judgment"), (dt.date(2026, 11, 30), "judgment"))
    assert urgency(default_only, clock).tier == Tier.DEFAULT_JUDGMENT
    assert Tier.DEFAULT_JUDGMENT not in urgency(contested_after, clock).tiers
