"""Running unattended: `evictwatch run`, `scheduler`, `purge`."""

from __future__ import annotations

import typer
from rich.markup import escape

from evictwatch.commands.common import (
    Globals,
    counted,
    err,
    fail,
    out,
    parse_day,
)
from evictwatch.commands.database import exclusive, open_store, opened
from evictwatch.commands.distributed import refuse_if_distributed
from evictwatch.jobs.cycle import run_cycle
from evictwatch.jobs.cycle_state import EXIT_LOCKED
from evictwatch.jobs.erasure import apply_retention
from evictwatch.jobs.scheduler import serve
from notify.transport import MissingSecretError
from pipeline.landlords import OverridesError
from pipeline.store.locks import RunLockHeld, run_lock


def run_command(
    ctx: typer.Context,
    today: str = typer.Option(None, help="Run as if today were this date (YYYY-MM-DD): all of its send times have come."),
) -> None:
    """One full cycle: scrape every court, then the lists, report, alerts and alarms that are due.

    Exit codes: 0 ok, 1 a court failed, 2 configuration error, 3 another run holds the lock."""



    g: Globals = ctx.obj
    refuse_if_distributed(g, "run")
    config = g.config()
    day = parse_day(today, "--today")
    database = opened(g)
    try:
        # The lock first: two runs started together must not both upgrade the schema.
        with run_lock(database):
            result = run_cycle(config, open_store(g, database), today=day, lock=False)
    except RunLockHeld as exc:
        fail(str(exc), code=EXIT_LOCKED)
    except (MissingSecretError, OverridesError) as exc:
        fail(str(exc), code=2)
    for o in result.outcomes:
        state = "ok" if o.ok else f"FAILED ({o.error_kind})"
        out.print(f"court {o.court_id}: {state}, {o.mode}, {o.new} new, {o.updated} updated", highlight=False)
    for r in result.sent:
        if r.outcome.state != "already_sent":
            out.print(f"{r.partner} ({r.kind}): {r.outcome.state}" + (f" -> {r.path}" if r.path else ""),
                      highlight=False)
    if result.report_path:
        out.print(f"report: {result.report_path}", highlight=False)
    for alarm in result.alarms:
        err.print(f"[yellow]alarm {alarm.state}:[/] {escape(alarm.kind)} at {escape(alarm.court_id or '')} — "
                  f"{escape(alarm.detail)}", highlight=False)
    if result.abandoned:
        err.print(f"closed {len(result.abandoned)} run(s) a stopped process left unfinished", highlight=False)
    out.print(f"run {result.run_id}: exit {result.exit_code}", highlight=False)
    raise typer.Exit(result.exit_code)


def scheduler_command(ctx: typer.Context) -> None:
    """A long-running service: the jobs of config.yaml's `schedule:` (scrape, weekly, alerts) until SIGTERM."""
    g: Globals = ctx.obj
    refuse_if_distributed(g, "scheduler")
    config = g.config()
    store = open_store(g)  # brings the schema up to date before the jobs start

    def started(scheduler) -> None:
        for job in scheduler.get_jobs():
            out.print(f"job {job.id}: {escape(str(job.trigger))} (next {job.next_run_time:%Y-%m-%d %H:%M %Z})",
                      highlight=False)
        out.print(f"scheduler started with {len(scheduler.get_jobs())} jobs; SIGTERM or Ctrl-C stops it",
                  highlight=False)
        out.file.flush()

    raise typer.Exit(serve(config, g.config_path, store.url,
                           on_started=started))


def purge_command(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be removed, and why; remove nothing."),
    today: str = typer.Option(None, help="Judge the law's dates against this day (YYYY-MM-DD)."),
) -> None:
    """Erase the cases the law erases (Virginia's expungement: their personal data everywhere, recalls owed), remove
    tenants' names and addresses of cases closed longer than retention.closed_case_days, their archived pages, e-mails
    and docket sheets older than retention.outbox_days, and the watch lists of partners without a `watch:` entry."""
    g: Globals = ctx.obj
    config = g.config()
    store = open_store(g)
    with exclusive(store):
        result = apply_retention(config, store, dry_run=dry_run, today=parse_day(today, "--today"))
    plan = result.plan
    verb = "would remove" if dry_run else "removed"
    erasures = result.erasures
    if dry_run:
        out.print(f"erased by law: {counted(len(erasures.planned), 'case')}", highlight=False)
        for d in erasures.planned:
            out.print(f"  {d.case.court} {d.case.case_number}: {d.erasure}", highlight=False)
        out.print(f"vanishing from the court: {counted(len(erasures.vanishing), 'case')}", highlight=False)
        for court, number, since in erasures.vanishing:
            out.print(f"  {court} {number}: the portal said on {since} it has no such case; erased when a later "
                      "day's run hears that again", highlight=False)
    else:
        e = erasures.erased
        files = counted(len(erasures.files), "e-mail or docket sheet", "e-mails and docket sheets")
        out.print(f"erased by law: {counted(e.cases, 'case')} (their names, numbers and "
                  f"{counted(e.raw_pages, 'archived page')}; {files} that listed them), "
                  f"{counted(e.recalls, 'recall')} owed", highlight=False)
    out.print(f"cases closed and unchanged since {plan.cutoff:%Y-%m-%d}: {len(plan.case_ids)}", highlight=False)
    out.print(f"{verb}: {plan.defendants} defendants' names and addresses (ZIP codes kept), names in "
              f"{plan.events} history rows, {plan.raw_pages} archived pages, {len(result.outbox_files)} e-mails "
              f"and docket sheets older than {config.retention.outbox_days} days", highlight=False)
    if result.watch_lists:
        out.print(f"{verb}: the watch lists of {', '.join(result.watch_lists)} (no `watch:` entry in the "
                  "configuration any more)", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.command("run")(run_command)
commands.command("scheduler")(scheduler_command)
commands.command("purge")(purge_command)
