"""`evictwatch letters`: a partner's letters to the tenants of its new eviction cases."""

from __future__ import annotations

from pathlib import Path

import typer

from evictwatch.commands.common import Globals, counted, fail, known_partner, local_today, out, parse_day
from evictwatch.commands.database import exclusive, open_store
from evictwatch.jobs.letters import LettersError, LettersRun, write_letters
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
    known_partner(config, partner, g.config_path)
    found = next(p for p in config.partners if p.name == partner)
    day = parse_day(today, "--today") or local_today(config)
    store = open_store(g)
    try:
        with exclusive(store):
            run = write_letters(config, store, found, today=day, now=utc_now(), out=out_dir)
    except LettersError as exc:
        fail(str(exc), code=2)
    for line in run_lines(run, day):
        out.print(line, highlight=False)


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


commands = typer.Typer(rich_markup_mode=None)
commands.command("letters")(letters_command)
