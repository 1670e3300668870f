"""Courthouse outreach: `evictwatch docket`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from evictwatch.commands.common import Globals, check_courts, fail, out, parse_day


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
    from evictwatch.jobs.docket import make_docket, next_docket_day

    g: Globals = ctx.obj
    config = g.config()
    courts = check_courts(config, court)
    from evictwatch.jobs.cycle import local_now

    base = parse_day(today, "--today") or local_now(config, None).date()  # the schedule's day, not the server's
    day = parse_day(date, "--date") or next_docket_day(config, base, courts)
    sheet = make_docket(config, g.existing_store(), day, courts=courts, out=out_dir or config.dockets_path(),
                        paper=paper.value, pdf=not no_pdf)
    out.print(f"docket {day.isoformat()}: {sheet.hearings} hearings in {sheet.courtrooms} courtrooms", highlight=False)
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
    from evictwatch.jobs.calendar import write_calendar

    g: Globals = ctx.obj
    config = g.config()
    found = next((p for p in config.partners if p.name == partner), None)
    if found is None:
        fail(f"--partner {partner!r}: no such partner in {g.config_path} (partners[].name)", code=2)
    path = out_file or config.partner_calendar_path(found)
    from evictwatch.jobs.cycle import local_now

    day = parse_day(today, "--today") or local_now(config, None).date()
    events = write_calendar(config, g.existing_store(), found, path, today=day, weeks=weeks)
    out.print(f"calendar for {partner}: {events} hearings -> {path}", highlight=False)
