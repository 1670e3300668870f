"""`evictwatch watch`: a partner's own list of people and case numbers, matched against new filings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from evictwatch.commands.common import Globals, err, fail, known_partner, out
from evictwatch.commands.database import exclusive, existing_store, open_store
from evictwatch.config import ConfigError
from evictwatch.jobs.watch import import_watch_list, pending_reviews
from pipeline.linkage.watchlist import WatchListError

if TYPE_CHECKING:  # the jobs load with the command that runs them: `--help` needs none
    from evictwatch.jobs.watch import ImportResult

watch_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="A partner's watch list: people and case numbers it wants to hear about.")


@watch_app.command("import")
def watch_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The list: a .csv or .xlsx file with a header row (id, name, zip, "
                                "case number; no dates of birth)."),
    partner: str = typer.Option(..., "--partner", help="The partner (its name in the config; it needs `watch:`)."),
) -> None:
    """Load a partner's watch list (it replaces the one before) and match it at once against the stored cases."""
    g: Globals = ctx.obj
    config = g.config()
    known_partner(config, partner, g.config_path)
    store = open_store(g)
    try:
        with exclusive(store):
            result = import_watch_list(config, store, partner, file)
    except WatchListError as exc:
        fail(str(exc), code=2)
    except (KeyError, ConfigError) as exc:
        fail(f"--partner {partner!r}: {exc.args[0]} ({g.config_path})", code=2)
    change, found = result.change, result.matched
    if change is None:
        _left_out(file, result)
        said = (f"no row of {escape(str(file))} could be read" if result.left_out
                else f"{escape(str(file))} has no rows under its header")
        err.print(f"{said}: the watch list of {escape(partner)} stays as it was (`evictwatch watch clear` removes "
                  "a list)", highlight=False)
        raise typer.Exit(1)
    out.print(f"watch list of {partner}: {result.rows} rows ({result.people} people, {result.numbers} case numbers); "
              f"{change.added} new, {change.changed} changed, {change.removed} removed, {change.unchanged} as before",
              highlight=False)
    out.print(f"matched now: {found.confident} confident, {found.review} to review, {found.by_number} by case number"
              + (f"; {result.numbers_not_stored} case numbers not stored yet (looked up by number for "
                 f"watch.lookup_days)" if result.numbers_not_stored else ""), highlight=False)
    if not result.own_ids:
        err.print("note: the file has no id column, so its rows are known by their row numbers; sorting or "
                  "inserting rows changes them (add a column `id` with your own reference)", highlight=False)
    if result.left_out:
        _left_out(file, result)
        err.print(f"{result.left_out:,} rows could not be read and were left out; the others were imported",
                  highlight=False)
        raise typer.Exit(1)


def _left_out(file: Path, result: ImportResult) -> None:
    """The rows left out by file, row and column: the first ones, and how many more."""
    for problem in result.problems:
        err.print(f"{escape(str(file))}: {escape(str(problem))}", highlight=False)
    more = result.left_out - len(result.problems)
    if more:
        err.print(f"{escape(str(file))}: and {more:,} more rows that could not be read (the first "
                  f"{len(result.problems)} are listed above)", highlight=False)


@watch_app.command("review")
def watch_review(
    ctx: typer.Context,
    partner: str = typer.Option(None, "--partner", help="Only this partner's matches."),
    yes: list[int] = typer.Option(None, "--yes", metavar="ID", help="This match id is the partner's person (repeatable)."),
    no: list[int] = typer.Option(None, "--no", metavar="ID", help="This match id is someone else: never proposed again "
                                 "(repeatable)."),
) -> None:
    """List the matches to review, or record a person's yes or no on them by match id."""
    g: Globals = ctx.obj
    if yes or no:
        store = open_store(g)
        watch = store.watch
        both = set(yes or ()) & set(no or ())
        if both:
            fail(f"match {', '.join(map(str, sorted(both)))}: both --yes and --no", code=2)
        answers = [(i, True) for i in yes or ()] + [(i, False) for i in no or ()]
        try:
            with exclusive(store):
                records = watch.decide(answers, partner=partner)  # all or none
        except KeyError as exc:
            fail(f"{exc.args[0]}; nothing was recorded", code=2)
        for record in records:
            out.print(f"match {record.id} ({record.partner}, id {record.row_id}, {record.case_number}): "
                      + ("yes, followed from now on" if record.decision == "yes" else "no, never proposed again"),
                      highlight=False)
        return
    if partner is not None:
        known_partner(g.config(), partner, g.config_path)
    pending = pending_reviews(existing_store(g), partner)
    if not pending:
        out.print("nothing to review", highlight=False)
        return
    for match, case in pending:
        tenants = "; ".join(p.name for p in case.defendants) if case else "(case no longer stored)"
        zip5 = case.tenant.zip5 if case and case.tenant else None
        out.print(f"match {match.id}: {escape(match.partner)}, id {escape(match.row_id)} -> {match.court} "
                  f"{match.case_number} ({f'{match.score:.0f}% likely; ' if match.score >= 0 else ''}"
                  f"{escape(match.reasons or 'to review')})",
                  highlight=False)
        out.print(f"    on the case: {escape(tenants)}" + (f", ZIP {zip5}" if zip5 else ""), highlight=False)
    out.print(f"{len(pending)} to review: answer with evictwatch watch review --yes ID / --no ID", highlight=False)


@watch_app.command("clear")
def watch_clear(
    ctx: typer.Context,
    partner: str = typer.Option(..., "--partner", help="The partner whose list is removed."),
) -> None:
    """Remove everything kept of a partner's watch list: its rows and their matches."""
    g: Globals = ctx.obj
    store = open_store(g)
    with exclusive(store):
        rows, matches = store.watch.clear(partner)
    out.print(f"watch list of {partner}: {rows} rows and {matches} matches removed", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(watch_app, name="watch")
