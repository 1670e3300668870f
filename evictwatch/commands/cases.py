"""`evictwatch case` and `evictwatch landlords`: the stored cases, read at the terminal."""

from __future__ import annotations

import json

import typer

from evictwatch.commands.casefile import case_json, landlords_table, render_case
from evictwatch.commands.common import fail, out
from evictwatch.commands.database import existing_store
from evictwatch.courts import stored_laws
from pipeline.erasure import retention_text
from pipeline.store.queries import case_files, case_number_candidates, landlord_groups


def case_command(
    ctx: typer.Context,
    case_number: str = typer.Argument(..., help="Case number, e.g. GV26000123-00."),
    court: str = typer.Option(None, "--court", help="Court id, when several courts share numbers."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of tables."),
) -> None:
    """One case: where it stands, its parties, its timeline and every change seen."""
    store = existing_store(ctx.obj)
    typed = case_number.strip().upper()
    files = case_files(store, typed, court)
    if not files:
        candidates = case_number_candidates(store, typed, court)
        where = f" in court {court}" if court else ""
        fail(f"no stored case {case_number}{where}" + (f"; stored numbers like it: {', '.join(candidates)}"
                                                         if candidates else ""))
    law_of = stored_laws(store)
    law = [retention_text(store, law_of, f.record.court, f.record.case_number) for f in files]
    if as_json:
        out.print_json(json.dumps([case_json(f, t) for f, t in zip(files, law)], ensure_ascii=False, default=str))
        return
    for file, text in zip(files, law):
        out.print(render_case(file, text))


def landlords_command(
    ctx: typer.Context,
    court: str = typer.Option(None, "--court", help="Count only this court's cases."),
    top: int = typer.Option(40, help="How many groups to show."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
) -> None:
    """Landlord groups (plaintiff spellings judged to be one filer) with their case counts."""
    store = existing_store(ctx.obj)
    groups = landlord_groups(store, ctx.obj.court_option(court, store))
    if as_json:
        out.print_json(json.dumps(groups, ensure_ascii=False))
    else:
        out.print(landlords_table(groups, top))


commands = typer.Typer(rich_markup_mode=None)
commands.command("case")(case_command)
commands.command("landlords")(landlords_command)
