"""What partners print, subscribe to and read: `evictwatch docket`, `calendar` and `report`."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer
from rich.markup import escape

from evictwatch.commands.common import (
    Globals,
    check_courts,
    counted,
    err,
    fail,
    known_partner,
    local_today,
    out,
    parse_day,
    valid_week,
)
from evictwatch.commands.database import existing_store
from evictwatch.jobs.calendar import write_calendar
from evictwatch.jobs.cycle_state import local_now
from evictwatch.jobs.docket import make_docket, next_docket_day, not_sitting
from evictwatch.jobs.mail import iso_week
from evictwatch.jobs.report import make_report
from pipeline.store.notices import heard_on


class Paper(str, Enum):
    letter = "letter"
    a4 = "a4"


def docket_command(
    ctx: typer.Context,
    date: str = typer.Option(None, "--date", help="The hearing day (YYYY-MM-DD); default the next court day."),
    court: list[str] = typer.Option(None, "--court", help="Only this court (repeatable); default every enabled court."),
    out_dir: Path = typer.Option(None, "--out", help="Folder for the sheet; default reports.dockets_folder."),
    paper: Paper = typer.Option(Paper.letter, "--paper", help="Printed page size (landscape)."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Write the HTML only (no Chromium)."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """The hearing-day docket sheet: the day's eviction hearings by courtroom and time, as HTML and PDF to print."""
    g: Globals = ctx.obj
    config = g.config()
    courts = check_courts(config, court)

    base = parse_day(today, "--today") or local_now(config, None).date()  # the schedule's day, not the server's
    day = parse_day(date, "--date") or next_docket_day(config, base, courts)
    store = existing_store(g)
    closed = not_sitting(config, day, courts)
    chosen = courts or [c.id for c in config.courts if c.enabled]
    if closed:
        why = "; ".join(f"{config.court(c).display_name} does not sit ({reason})" for c, reason in closed.items())
        if set(closed) >= set(chosen) and not any(True for _ in heard_on(store, day, courts)):
            following = next_docket_day(config, day, courts)
            fail(f"no docket for {day:%A} {day.isoformat()}: {why}. The next court day is {following:%A} "
                 f"{following.isoformat()}: evictwatch docket --date {following.isoformat()}", code=2)
        err.print(f"note: {day:%A} {day.isoformat()}: {why}; the sheet holds what the courts have set", highlight=False)
    sheet = make_docket(config, store, day, courts=courts, out=out_dir or config.dockets_path(), paper=paper.value,
                        pdf=not no_pdf)
    out.print(f"docket {day.isoformat()}: {counted(sheet.hearings, 'hearing')} in "
              f"{counted(sheet.courtrooms, 'courtroom')}" + ("" if sheet.hearings else
                                                             " (the court has set none for this day)"),
              highlight=False)
    out.print(f"  {sheet.html_path}", highlight=False)
    if sheet.pdf_path:
        out.print(f"  {sheet.pdf_path}", highlight=False)


def calendar_command(
    ctx: typer.Context,
    partner: str = typer.Option(..., "--partner", help="The partner (its name in the config)."),
    out_file: Path = typer.Option(None, "--out", help="The .ics file; default the partner's calendar_file."),
    weeks: int = typer.Option(6, "--weeks", min=1, max=52, help="How many weeks ahead."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """A partner's upcoming hearings as an iCalendar feed (.ics) for its calendar app to subscribe to."""
    g: Globals = ctx.obj
    config = g.config()
    found = known_partner(config, partner, g.config_path)
    path = out_file or config.partner_calendar_path(found)

    day = parse_day(today, "--today") or local_now(config, None).date()
    events = write_calendar(config, existing_store(g), found, path, today=day, weeks=weeks)
    out.print(f"calendar for {partner}: {counted(events, 'hearing')} -> {path}", highlight=False)


def report_command(
    ctx: typer.Context,
    week: str = typer.Option(None, "--week", help="ISO week YYYY-Www; default the last full week."),
    court: list[str] = typer.Option(None, "--court", help="Only this court (repeatable); default all courts."),
    out_dir: Path = typer.Option(None, "--out", help="Archive folder; default reports.folder from the config."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """The weekly trend report: one self-contained HTML file in the archive, with its index."""
    g: Globals = ctx.obj
    config = g.config()
    day = parse_day(today, "--today") or local_today(config)
    period = week or iso_week(day - dt.timedelta(days=7))
    if not valid_week(period):
        fail(f"--week {period!r}: expected an ISO week like 2026-W48", code=2)
    report, path = make_report(config, existing_store(g), period, courts=check_courts(config, court), today=day,
                               out=out_dir)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    out.print(f"report {period}: {path}", highlight=False)
    out.print(f"archive index: {path.parent / 'index.html'}", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.command("docket")(docket_command)
commands.command("calendar")(calendar_command)
commands.command("report")(report_command)
