"""`evictwatch outreach`: what a partner did to reach a case's tenants, recorded and counted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.markup import escape

from evictwatch.commands.common import Globals, err, fail, known_partner, local_today, out, parse_day
from evictwatch.commands.database import exclusive, existing_store, open_store
from evictwatch.jobs.contacts import OutreachFileError, import_outreach, partner_courts
from pipeline.store.contact_summary import OutreachSummary, outreach_summary
from pipeline.store.contacts import (Attempt, Method, Result, courts_of_number, method_named, record_attempts,
                                     result_named, stored_evictions)
from pipeline.store.rows import utc_now

SUMMARY_WEEKS = 12
outreach_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                           help="Outreach to tenants: record letters, calls and visits; read back the weekly list.")


def _partner(g: Globals, name: str):
    config = g.config()
    return config, known_partner(config, name, g.config_path)


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


@outreach_app.command("summary")
def outreach_summary_command(
    ctx: typer.Context,
    since: str = typer.Option(None, "--since", help="Cases filed from this day (YYYY-MM-DD); default 12 weeks "
                              "before --until."),
    until: str = typer.Option(None, "--until", help="... up to this day; default today."),
    partner: str = typer.Option(None, "--partner", help="Only this partner's courts and outreach; default every "
                                "court and every partner's outreach."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of text."),
) -> None:
    """What outreach achieved for the eviction cases filed in a period."""
    g: Globals = ctx.obj
    config = g.config()
    last = parse_day(until, "--until") or local_today(config)
    first = parse_day(since, "--since") or last - dt.timedelta(weeks=SUMMARY_WEEKS)
    if first > last:
        fail(f"--since {first.isoformat()} is after --until {last.isoformat()}", code=2)
    courts = [c.id for c in config.courts]
    if partner is not None:
        config, found = _partner(g, partner)
        courts = partner_courts(config, found)
    summary = outreach_summary(existing_store(g), first, last, courts=courts, partner=partner)
    if as_json:
        out.print_json(json.dumps(summary.as_json()))
        return
    for line in summary_lines(summary, partner):
        out.print(line, highlight=False)


def summary_lines(s: OutreachSummary, partner: str | None) -> list[str]:
    def share(n: int, of: int) -> str:
        return f"{n} of {of}" + (f" ({100 * n / of:.0f}%)" if of else "")

    lines = [f"eviction cases filed {s.since.isoformat()} to {s.until.isoformat()}"
             + (f" in {partner}'s courts" if partner else "") + f": {s.cases}",
             f"attempted before the first hearing: {share(s.attempted_before_first_hearing, s.cases)}",
             f"reached before the first hearing: {share(s.reached_before_first_hearing, s.cases)}",
             "median days from filing to first contact: "
             + ("no contact recorded" if s.median_days_filing_to_first_contact is None
                else f"{s.median_days_filing_to_first_contact:g}"),
             f"households helped (advice, a lawyer, rental assistance): {s.households_helped}",
             "outcomes so far           reached   not reached"]
    for name in ("represented", "dismissed_or_nonsuited", "judgment_for_landlord", "writ_executed", "pending"):
        lines.append(f"  {name.replace('_', ' '):<24}{getattr(s.reached, name):>8}{getattr(s.not_reached, name):>14}")
    lines.append(f"  {'cases':<24}{s.reached.cases:>8}{s.not_reached.cases:>14}")
    if s.provisional:
        lines.append("provisional: some of these cases have no outcome yet; the figures will change")
    lines.append(s.caveat)
    return lines


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(outreach_app, name="outreach")
