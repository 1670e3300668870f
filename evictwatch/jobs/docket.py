"""The hearing-day docket sheet, written as HTML and printed to PDF by the system Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.court_days import closed_days, closed_days_of
from evictwatch.jobs.export import open_private
from evictwatch.jobs.mail import (
    channel,
    court_names,
    filters_of,
    message,
    partners_receiving,
)
from notify.alerts import next_court_day
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.docket import docket_rows, render_docket
from notify.message import Attachment
from notify.rows import flatten
from notify.transport import private_folder
from pipeline.store.notices import heard_on
from pipeline.store.repo import Store
from scraper.chromium import CHROMIUM_ARGS


@dataclass(frozen=True)
class DocketSheet:
    day: dt.date
    hearings: int
    courtrooms: int
    html_path: Path
    pdf_path: Path | None


def next_docket_day(config: AppConfig, today: dt.date, courts: Sequence[str] = ()) -> dt.date:
    """The next day one of these courts (none: every enabled court) sits, its holidays skipped."""
    closed = closed_days_of(config, today)
    wanted = list(courts) or list(closed)
    return min((next_court_day(today, closed.get(c, frozenset())) for c in wanted), default=next_court_day(today))


def not_sitting(config: AppConfig, day: dt.date, courts: Sequence[str] = ()) -> dict[str, str]:
    """These courts (none: every enabled court) that do not sit on `day`, each with why in words."""
    chosen = [config.court(c) for c in courts] if courts else [c for c in config.courts if c.enabled]
    why = {}
    for court in chosen:
        if day.weekday() >= 5:
            why[court.id] = f"a {day:%A}"
        elif day in court.closed_days:
            why[court.id] = "a day it is closed (courts[].closed_days)"
        elif day in closed_days(court, (day.year,)):
            why[court.id] = "a public holiday in its state"
    return why


def zones_of(config: AppConfig) -> dict[str, str]:
    """Each court's time zone: a sheet says when it was made in the court's own time."""
    return {c.id: c.zone for c in config.courts}


def make_docket(config: AppConfig, store: Store, day: dt.date, *, courts: Sequence[str] = (), out: Path,
                paper: str = "letter", pdf: bool = True, now: dt.datetime | None = None) -> DocketSheet:
    now = now or dt.datetime.now(dt.timezone.utc)
    opted_out = store.ledger.opted_out_households()
    rows = docket_rows(heard_on(store, day, courts), day, opted_out=opted_out)
    html = render_docket(rows, day=day, courts=court_names(config, courts), generated_at=now, paper=paper,
                         zones=zones_of(config))
    # The configured folder is the product's (tightened if an older release made it 0755); one
    # named by `--out` that was already there is the operator's, left as it is.
    private_folder(out, tighten=out.resolve() == config.dockets_path().resolve())
    stem = f"docket-{day.isoformat()}" + ("-" + "+".join(sorted(courts)) if courts else "")
    html_path = out / f"{stem}.html"
    with open_private(html_path, encoding="utf-8") as fh:  # tenants' names: 0600
        fh.write(html)
    pdf_path = None
    if pdf:
        pdf_path = out / f"{stem}.pdf"
        printed = print_pdf(html, config.scrape.chromium_path)  # a failed print leaves no empty file
        with open_private(pdf_path, "wb") as fh:
            fh.write(printed)
    return DocketSheet(day, len(rows), len({(r.court, r.courtroom) for r in rows}), html_path, pdf_path)


KIND = "docket_sheet"


def is_docket_due(partner: PartnerConfig, now: dt.datetime) -> bool:
    hour, minute = (int(x) for x in partner.docket_time.split(":"))
    return (now.hour, now.minute) >= (hour, minute)


def send_docket_sheets(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                       dry_run: bool = False, resend: bool = False, now: dt.datetime | None = None,
                       day: dt.date | None = None, due_at: dt.datetime | None = None) -> list[DeliveryResult]:
    """Each partner that receives it gets the next court day's sheet (of its courts, its filters
    applied) once: the delivery key is the hearing day, so Friday's and Saturday's runs send Monday's once.
    `day`: that hearing day instead (a resend); `due_at`: only partners whose docket_time has
    come by then (the schedule's local time)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    opted_out = store.ledger.opted_out_households()

    def plan(partner: PartnerConfig) -> Planned:
        courts = list(partner.filters.courts)
        heard = day or next_docket_day(config, today, courts)
        key = DeliveryKey(partner.name, KIND, heard.isoformat())

        def prepare() -> Content:
            rows = docket_rows(heard_on(store, heard, courts), heard, filters=filters_of(partner),
                               opted_out=opted_out)
            html = render_docket(rows, day=heard, courts=court_names(config, courts), generated_at=now,
                                 zones=zones_of(config))
            rooms = sorted({(r.court, r.courtroom) for r in rows})
            text = (f"Eviction hearings on {heard:%A} {heard.isoformat()}: {len(rows)} in {len(rooms)} "
                    f"{'courtroom' if len(rooms) == 1 else 'courtrooms'}, for {partner.name}.\n\n"
                    + "".join(f"  {flatten(room) or 'courtroom not given'}: {sum(1 for r in rows if (r.court, r.courtroom) == (c, room))}\n"
                              for c, room in rooms)
                    + "\nThe sheet to print is attached (PDF, and the same page as HTML). It holds tenants' "
                      "names: use it for courthouse outreach only and shred it afterwards.\n")
            stem = f"eviction-docket-{heard.isoformat()}"
            attachments = [Attachment(f"{stem}.pdf", print_pdf(html, config.scrape.chromium_path), "application/pdf"),
                           Attachment(f"{stem}.html", html.encode("utf-8"), "text/html")]
            return Content(len(rows), message(config, key, partner.emails, text=text, html=None,
                                              subject=f"Eviction hearings {heard:%a} {heard.isoformat()}: "
                                                      f"{len(rows)} ({partner.name})",
                                              attachments=attachments, now=now),
                           cases=[(r.court, r.case_number) for r in rows])
        return Planned(key, prepare)

    partners = [p for p in partners_receiving(config, KIND, partner_name) if due_at is None or is_docket_due(p, due_at)]
    return deliver_all([plan(p) for p in partners], ledger=store.ledger,
                       channel=channel(config, dry_run), resend=resend)


def print_pdf(html: str, chromium_path: str) -> bytes:
    """The page printed by headless Chromium with its own @page size, no request let out."""
    [printed] = print_pdfs([html], chromium_path)
    return printed


def print_pdfs(pages: list[str], chromium_path: str) -> list[bytes]:
    """Each page printed, by one headless Chromium (a launch costs more than a page)."""
    # Playwright is loaded when a sheet is printed: most runs print none (0.17 s of start-up, measured).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            printed = []
            for html in pages:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())  # self-contained: nothing to fetch
                page.set_content(html, wait_until="load")
                printed.append(page.pdf(prefer_css_page_size=True, print_background=True))
                page.close()
            return printed
        finally:
            browser.close()
