"""`evictwatch letters` and `evictwatch canvass`: reaching a partner's tenants by mail where the
court publishes streets, and door to door, building by building, where it does not."""

from __future__ import annotations

from pathlib import Path

import typer

from evictwatch.commands.common import (Globals, counted, err, fail, known_partner, local_today, out, parse_day,
                                        valid_week)
from evictwatch.commands.database import exclusive, existing_store, open_store
from evictwatch.jobs.canvass import PropertiesError, make_canvass
from evictwatch.jobs.letters import LettersError, LettersRun, write_letters
from evictwatch.jobs.mail import iso_week
from notify.outreach import week_bounds
from pipeline.store.rows import utc_now


def letters_command(
    ctx: typer.Context,
    partner: str = typer.Option(..., "--partner", help="The partner whose letters these are (its name in the config; "
                                "it needs a `letters:` entry)."),
    today: str = typer.Option(None, "--today", help="The day the letters are dated and counted from (YYYY-MM-DD); "
                              "default today."),
    out_dir: Path = typer.Option(None, "--out", help="Folder for the run's folder of files; default the partner's "
                                 "letters.folder."),
) -> None:
    """Letters to the tenants of a partner's new eviction cases, where the court publishes streets."""
    g: Globals = ctx.obj
    config = g.config()
    found = known_partner(config, partner, g.config_path)
    day = parse_day(today, "--today") or local_today(config)
    store = open_store(g)
    try:
        with exclusive(store):
            run = write_letters(config, store, found, today=day, now=utc_now(), out=out_dir)
    except LettersError as exc:
        fail(str(exc), code=2)
    for line in run_lines(run, day):
        out.print(line, highlight=False)
    if run.letters and not found.letters.phone:
        err.print(f"warning: {partner}'s letters give no phone number to call: add letters.phone to the "
                  "configuration", highlight=False)


def run_lines(run: LettersRun, today) -> list[str]:
    lines = [f"new eviction cases filed {run.since.isoformat()} to {today.isoformat()}: {run.cases}",
             f"letters: {run.letters} for {counted(run.lettered_cases, 'case')}"]
    left = [(run.no_street, "the court shows no street address (none guessed)"),
            (run.too_soon, "the first hearing is too soon or passed"), (run.no_hearing, "no hearing set yet"),
            (run.opted_out, "the household opted out"), (run.written_before, "written to before")]
    lines += [f"  no letter, {why}: {n}" for n, why in left if n]
    lines += [f"wrote {path}" for path in run.files]
    if run.files:
        lines.append("print letters.pdf double-sided (flip on the long edge): English front, Spanish back")
    return lines


def canvass_command(
    ctx: typer.Context,
    partner: str = typer.Option(..., "--partner", help="The partner whose courts' filings these are."),
    week: str = typer.Option(None, "--week", help="The ISO week (2026-W48) of the filings; default this week."),
    out_dir: Path = typer.Option(None, "--out", help="Folder for the sheet; default data/canvass/<partner>/."),
) -> None:
    """A printable sheet of the week's new eviction filings by building (HTML and PDF)."""
    g: Globals = ctx.obj
    config = g.config()
    found = known_partner(config, partner, g.config_path)
    period = week or iso_week(local_today(config))
    if not valid_week(period):
        fail(f"--week {period!r}: an ISO week like 2026-W48", code=2)
    try:
        sheet = make_canvass(config, existing_store(g), found, monday=week_bounds(period)[0], week=period,
                             now=utc_now(), out=out_dir)
    except PropertiesError as exc:
        fail(str(exc), code=2)
    out.print(f"canvass sheet for {period}: {counted(sheet.cases, 'case')} in {counted(sheet.buildings, 'building')}"
              + (f" ({sheet.unmapped} without an address in properties.yaml)" if sheet.unmapped else ""), highlight=False)
    out.print(f"wrote {sheet.html_path} and {sheet.pdf_path}", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.command("letters")(letters_command)
commands.command("canvass")(canvass_command)
