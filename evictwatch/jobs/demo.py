"""`evictwatch demo`: the whole slice against the bundled simulator, on a local SQLite file."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from evictwatch.config import ConfigError, load_config, parse_config, scrape_window
from evictwatch.config_courts import CourtConfig
from evictwatch.courts import adapter
from evictwatch.jobs.alerts import send_alerts
from evictwatch.jobs.calendar import write_calendars
from evictwatch.jobs.demo_outreach import DemoOutreach, demo_outreach
from evictwatch.jobs.demo_watch import write_demo_watch_list
from evictwatch.jobs.docket import make_docket, next_docket_day, send_docket_sheets
from evictwatch.jobs.eligible import send_eligibility_lists
from evictwatch.jobs.erasure import apply_erasures, send_recalls
from evictwatch.jobs.export import open_private, write_csv
from evictwatch.jobs.lists import send_weekly_lists
from evictwatch.jobs.mail import iso_week
from evictwatch.jobs.report import make_report, send_weekly_reports
from evictwatch.jobs.scrape import build_governor
from evictwatch.jobs.watch import import_watch_list
from evictwatch.jobs.watch_digest import send_watch_digests
from evictwatch.jobs.web import demo_accounts
from notify.transport import private_folder
from pipeline.store.ledger import DeliveryKey
from pipeline.store.queries import iter_export
from pipeline.store.repo import Store
from pipeline.store.rows import utc_now
from scraper.base import HasSimulator

DEMO_DB = Path("data/demo.db")
DEMO_CSV = Path("data/demo-cases.csv")
DEMO_OUTBOX = "data/outbox"  # relative to the working directory, like the database
DEMO_PARTNERS = [
    {"name": "Alexandria Legal Aid (demo)", "emails": ["intake@legal-aid.example.org"],
     "receives": ["weekly_list", "urgent_alerts", "weekly_report", "docket_sheet", "calendar", "expungement_eligible"],
     "calendar_file": "data/calendars/alexandria-legal-aid-demo.ics"},
    {"name": "Tenant Union 22304 (demo)", "emails": ["organizers@tenant-union.example.org"],
     "filters": {"zips": ["22304"]}},
    {"name": "Rental Assistance Program (demo)", "emails": ["caseworkers@rental-help.example.org"],
     "receives": ["watch_matches"], "watch": {}},
    # Travis County's simulator publishes tenants' streets here (as some counties do): letters go out.
    {"name": "Texas Tenant Legal Aid (demo)", "emails": ["intake@texas-legal-aid.example.org"],
     "receives": ["weekly_list"], "filters": {"courts": ["travis-jp5"]},
     "letters": {"phone": "512-555-0142", "return_address": ["Texas Tenant Legal Aid (demo)", "PO Box 1234",
                                                             "Austin, TX 78767"],
                 "court_addresses": {"travis-jp5": "3518 E 5th St, Austin, TX 78702"}}},
]
DEMO_SIM_OPTIONS = {"travis-jp5": {"street_addresses": True}}
DEMO_WATCH_LIST = Path("data/watch-list-demo.csv")
DEMO_CONFIG = Path("data/demo-config.yaml")
DEMO_LOG = Path("data/demo.log")  # its log, so that the summary it prints reads in one piece
# One court of each bundled court system; the simulators are ours and local, so a fast rate is
# polite here, never against a court.
DEMO_COURTS = [
    # The e-mails point people at the real public portals (the simulators are gone after the demo).
    {"id": "alexandria", "source": "va-gdc", "code": "510", "name": "Alexandria General District Court",
     "lookup_url": "https://eapps.courts.state.va.us/gdcourts/"},
    {"id": "travis-jp5", "source": "tyler-odyssey", "code": "Precinct Five",
     "name": "Travis County Justice of the Peace, Precinct Five",
     "lookup_url": "https://odysseypa.traviscountytx.gov/JPPublicAccess/"},
]
DEMO_USER_AGENT = "evictwatch-demo/0.1 (local simulator; contact: operator@example.org)"
# Hearing dates thirteen weeks back (so the report's outcome weeks, filed 8 to 12 weeks before its
# week, are seen whole) and two ahead, the weeks outreach works from: the report week itself stays
# provisional, as in any court whose return hearings come later than the scrapes look ahead.
LOOK_BACK_DAYS, LOOK_AHEAD_DAYS = 91, 13
DEMO_RATE_PER_S = 200.0


@dataclass
class DemoResult:
    cases: int
    new: int
    updated: int
    unchanged: int
    db_path: Path
    csv_path: Path
    ok: bool
    emails: list[str]
    report_path: Path
    docket: Any  # evictwatch.jobs.docket.DocketSheet: the next court day's hearings, to print
    calendars: dict[str, Path]  # partner -> its hearings feed (.ics)
    watch: Any  # evictwatch.jobs.watch.ImportResult of the demo's watch list
    watch_list: Path
    erased: int  # cases erased by law (expunged) or gone from the court, this run
    config_file: Path  # the demo's configuration, for commands on its data afterwards
    by_court: dict[str, int]  # eviction cases stored per court (its configured name)
    accounts: list  # evictwatch.jobs.web.DemoAccount: the workspace's demo accounts
    outreach: DemoOutreach  # the Texas partner's letters and its weekly list filled in and read back


def demo_config(config_path: Path, base_urls: dict[str, str]):
    return parse_config(_demo_settings(config_path, base_urls), "demo configuration")


def write_demo_config(config_path: Path, base_urls: dict[str, str], db_url: str) -> Path:
    """The demo's configuration as a file, for the commands a person runs on the demo's data
    afterwards (its partners' watch list, review, e-mails, status): `--config data/demo-config.yaml`.
    Its paths are relative to data/, where it is written."""
    settings = _demo_settings(config_path, base_urls)
    settings["notify"]["outbox"] = DEMO_OUTBOX.removeprefix("data/")
    settings["partners"] = [{**p, "calendar_file": p["calendar_file"].removeprefix("data/")} if "calendar_file" in p
                            else p for p in settings["partners"]]
    settings["reports"] = {"folder": "reports", "dockets_folder": "dockets"}
    if Path("landlords.yaml").is_file():  # the overrides the demo's own run used, when there are any
        settings["pipeline"] = {"landlord_overrides": "../landlords.yaml"}
    settings["database"] = {"url": db_url}
    # Only local addresses in a file: its e-mails then point at the (stopped) simulators.
    settings["courts"] = [{k: v for k, v in c.items() if k != "lookup_url"} for c in settings["courts"]]
    private_folder(DEMO_CONFIG.parent)  # data/: the demo's database, CSV and e-mails, tenants' data
    DEMO_CONFIG.write_text(
        "# Written by `evictwatch demo`: its courts and partners, for commands on its database, e.g.\n"
        "#   evictwatch --config data/demo-config.yaml watch review\n"
        "# The courts' base_url are the demo's simulators, stopped when it ended: scrape with\n"
        "# `evictwatch demo` again (a later --today moves its cases on), not with this file; e-mails\n"
        "# sent with it point at those stopped simulators, not at the public portals.\n"
        + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return DEMO_CONFIG


def _demo_settings(config_path: Path, base_urls: dict[str, str]) -> dict[str, Any]:
    user_agent = DEMO_USER_AGENT
    if config_path.exists():
        try:
            user_agent = load_config(config_path).http.user_agent
        except ConfigError:
            pass  # the demo must run even while the real configuration is being edited
    return copy.deepcopy({
        "http": {"user_agent": user_agent, "max_concurrency_per_host": 4, "max_attempts": 5},
        "scrape": {"window": {"look_back_days": LOOK_BACK_DAYS, "look_ahead_days": LOOK_AHEAD_DAYS},
                   "browser_check": False},
        "courts": [{**court, "base_url": base_urls[court["id"]], "rate_limit_per_s": 50} for court in DEMO_COURTS],
        "notify": {"transport": "outbox", "outbox": DEMO_OUTBOX, "sender": "evictwatch demo <demo@localhost>",
                   "operators": ["operators@example.org"]},
        "partners": DEMO_PARTNERS,
    })


def rate_note() -> str:
    """Why the demo's summary shows a rate no court would get."""
    court_rate = CourtConfig.model_fields["rate_limit_per_s"].default
    return (f"demo: the simulators run on this machine, so the demo asks them up to {DEMO_RATE_PER_S:g} requests a "
            f"second; a real court is asked {court_rate:g} a second by default (courts[].rate_limit_per_s)")


def run_demo(config_path: Path, db_url: str | None, today: dt.date, seed: int, *, console: Any,
             run: Callable[..., list]) -> DemoResult:
    running = {}
    try:
        for court in DEMO_COURTS:
            source = adapter(court["source"])
            if not isinstance(source, HasSimulator):
                raise TypeError(f"court source {court['source']} has no bundled simulator: the demo needs one")
            options = DEMO_SIM_OPTIONS.get(court["id"], {})
            running[court["id"]] = source.simulator(seed=seed, today=today, **options).start(host="127.0.0.1", port=0)
        base_urls = {court: r.base_url for court, r in running.items()}
        config = demo_config(config_path, base_urls)
        url = db_url or f"sqlite:///{DEMO_DB}"
        config_file = write_demo_config(config_path, base_urls, url)
        store = Store.open(url)
        store.upgrade()
        for court in config.courts:
            console.print(f"demo: simulated {court.display_name} ({court.source}) at {court.base_url}, "
                          f"today {today}, seed {seed}", highlight=False)
        # The simulators are ours, on this machine: faster than any court's rate is polite here.
        governor = build_governor(config, host_rates={"127.0.0.1": DEMO_RATE_PER_S})
        console.print(rate_note(), highlight=False)
        outcomes = run(config, store, config.courts, scrape_window(config, today), today, governor=governor)
    finally:
        for simulator in running.values():
            simulator.stop()

    # As a run does: the cases the law has erased by today go before anything is written or sent.
    erased = apply_erasures(config, store, today=today).erased
    report_week = iso_week(today - dt.timedelta(days=7))  # the last full week
    report, report_path = make_report(config, store, report_week, today=today)
    watcher = next(p for p in config.partners if p.watch is not None)
    watch = import_watch_list(config, store, watcher.name, write_demo_watch_list(store, DEMO_WATCH_LIST))
    docket = make_docket(config, store, next_docket_day(config, today), out=config.dockets_path())
    written = write_calendars(config, store, today=today)
    calendars = {p.name: config.partner_calendar_path(p) for p in config.partners if p.name in written}
    sent = (send_weekly_lists(config, store, week=iso_week(today), today=today) + send_alerts(config, store, today=today)
            + send_weekly_reports(config, store, week=report_week, today=today,
                                  made={(): (report, report_path)})
            + send_docket_sheets(config, store, today=today) + send_watch_digests(config, store, today=today)
            + send_recalls(config, store, today=today) + send_eligibility_lists(config, store, today=today))
    units = {"urgent_alerts": ("alert", "alerts"), "docket_sheet": ("hearing", "hearings"),
             "recall": ("case recalled", "cases recalled")}
    emails = [f"{r.partner} ({r.kind.replace('_', ' ')}): {r.outcome.state}"
              + (f", {r.rows} {units.get(r.kind, ('case', 'cases'))[r.rows != 1]}" if r.kind != "weekly_report" else "")
              + (f" -> {r.path}" if r.path else "") for r in sent]
    letterer = next(p for p in config.partners if p.letters is not None)
    listed = store.ledger.get(DeliveryKey(letterer.name, "weekly_list", iso_week(today)))
    outreach = demo_outreach(config, store, letterer, Path(listed.receipt) if listed and listed.receipt else None,
                             today=today, now=utc_now())
    private_folder(DEMO_CSV.parent)
    with open_private(DEMO_CSV, "w", encoding="utf-8", newline="") as fh:
        count = write_csv(iter_export(store, evictions_only=True), fh)
    names = {c.id: c.display_name for c in config.courts}
    by_court = {names[c]: sum(1 for _ in iter_export(store, court_id=c, evictions_only=True)) for c in names}
    return DemoResult(
        cases=count,
        new=sum(o.new for o in outcomes),
        updated=sum(o.updated for o in outcomes),
        unchanged=sum(o.unchanged for o in outcomes),
        db_path=Path(store.named_file or url),
        csv_path=DEMO_CSV,
        ok=all(o.ok for o in outcomes),
        emails=emails,
        report_path=report_path,
        docket=docket,
        calendars=calendars,
        watch=watch,
        erased=erased.cases + sum(o.erased.cases for o in outcomes if o.erased is not None),
        watch_list=DEMO_WATCH_LIST,
        config_file=config_file,
        by_court=by_court,
        accounts=demo_accounts(store, DEMO_PARTNERS[0]["name"]),
        outreach=outreach,
    )
