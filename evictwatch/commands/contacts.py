"""`evictwatch outreach`: what a partner did to reach a case's tenants, recorded and counted."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from evictwatch.commands.common import Globals, err, fail, known_partner, local_today, out, parse_day
from evictwatch.commands.database import exclusive, open_store
from evictwatch.jobs.contacts import OutreachFileError, import_outreach, partner_courts
from pipeline.store.contacts import (Attempt, Method, Result, courts_of_number, method_named, record_attempts,
                                     result_named, stored_evictions)
from pipeline.store.rows import utc_now

outreach_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                           help="Outreach to tenants: record letters, calls and visits; read back the weekly list.")


def _partner(g: Globals, name: str):
    config = g.config()
    known_partner(config, name, g.config_path)
    return config, next(p for p in config.partners if p.name == name)


@outreach_app.command("import")
def outreach_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The partner's weekly list (.xlsx or .csv) with its Outreach columns "
                                "filled in."),
    partner: str = typer.Option(..., "--partner", help="The partner who did the outreach (its name in the config)."),
) -> None:
    """Record the outreach a partner wrote into its weekly list; rows left blank are skipped."""
    g: Globals = ctx.obj
    config, found = _partner(g, partner)
    store = open_store(g)
    try:
        with exclusive(store):
            done = import_outreach(config, store, found, file, now=utc_now(), today=local_today(config))
    except OutreachFileError as exc:
        fail(str(exc), code=2)
    for problem in done.problems[:50]:
        err.print(f"left out: {escape(str(problem))}", highlight=False)
    if len(done.problems) > 50:
        err.print(f"... and {len(done.problems) - 50} more rows left out", highlight=False)
    out.print(f"{done.recorded.added} added, {done.recorded.already} already recorded, {done.skipped} skipped"
              + (f", {len(done.problems)} unreadable (above)" if done.problems else ""), highlight=False)
    if done.problems and not done.recorded.added and not done.recorded.already:
        raise typer.Exit(1)


@outreach_app.command("add")
def outreach_add(
    ctx: typer.Context,
    partner: str = typer.Option(..., "--partner", help="The partner who did the outreach."),
    case: str = typer.Option(..., "--case", help="The case number."),
    court: str = typer.Option(None, "--court", help="The court's id, when the number is stored in two courts."),
    method: str = typer.Option(..., "--method", help="letter, call, text, door, courthouse or email."),
    result: str = typer.Option(..., "--result", help="sent, reached, left_message, no_answer, wrong_contact, "
                               "declined, advice_given, represented, referred or assistance_paid (or their words)."),
    date: str = typer.Option(None, "--date", help="The day of the attempt (YYYY-MM-DD); default today."),
    note: str = typer.Option(None, "--note", help="A short note (kept one line, at most 1,000 characters)."),
) -> None:
    """Record one attempt to reach a case's tenants."""
    g: Globals = ctx.obj
    config, found = _partner(g, partner)
    chosen_method, chosen_result = method_named(method), result_named(result)
    if chosen_method is None:
        fail(f"--method {method!r}: one of {', '.join(m.value for m in Method)}", code=2)
    if chosen_result is None:
        fail(f"--result {result!r}: one of {', '.join(r.value for r in Result)}", code=2)
    today = local_today(config)
    day = parse_day(date, "--date") or today
    if day > today:
        fail(f"--date {day.isoformat()} is after today", code=2)
    number, courts = case.strip().upper(), partner_courts(config, found)
    store = open_store(g)
    if court is not None and court not in courts:
        fail(f"--court {court!r}: not one of {partner}'s courts ({', '.join(courts)})", code=2)
    held = [court] if court else courts_of_number(store, number, courts)
    if len(held) != 1 or not stored_evictions(store, [(held[0], number)]):
        fail(f"--case {number}: " + ("stored in " + " and ".join(held) + ": say which with --court"
                                     if len(held) > 1 else f"not a stored eviction case of {partner}'s courts"),
             code=2)
    with exclusive(store):
        done = record_attempts(store, partner, [Attempt(held[0], number, day, chosen_method, chosen_result, note)],
                               recorded_by="command", at=utc_now())
    out.print(f"{held[0]} {number}: " + ("recorded" if done.added else "already recorded") +
              f" ({chosen_method.value}, {chosen_result.value}, {day.isoformat()})", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(outreach_app, name="outreach")
