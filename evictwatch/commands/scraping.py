"""`evictwatch scrape`, and the scrape with its progress bar and summary that the demo runs too."""

from __future__ import annotations

import asyncio

import typer

from evictwatch.commands.common import (
    Globals,
    err,
    fail,
    local_today,
    parse_day,
)
from evictwatch.commands.database import exclusive, open_store
from evictwatch.commands.progress import progress_bar, scrape_summary_table
from evictwatch.config import ConfigError, scrape_window
from evictwatch.jobs.court_lists import refresh_court_lists
from evictwatch.jobs.operators import report_failed_courts
from evictwatch.jobs.scrape import governor_for, scrape_courts
from pipeline.landlords import OverridesError


def scrape_command(
    ctx: typer.Context,
    court: list[str] = typer.Option(None, "--court", help="Court id from the config (repeatable); default all."),
    since: str = typer.Option(None, help="First hearing date (YYYY-MM-DD); default today - look_back_days."),
    until: str = typer.Option(None, help="Last hearing date; default today + look_ahead_days."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
    full: bool = typer.Option(False, "--full", help="Walk every hearing date and open every case, "
                              "instead of only new filings and the cases due for a re-check."),
) -> None:
    """Scrape eviction cases from the configured courts into the database."""
    g: Globals = ctx.obj
    config = g.config()
    try:
        day = parse_day(today, "--today") or local_today(config)
        window = scrape_window(config, day, parse_day(since, "--since"), parse_day(until, "--until"))
    except ConfigError as exc:
        fail(str(exc), code=2)
    store = open_store(g)
    with exclusive(store):
        unlisted = asyncio.run(refresh_court_lists(config, store, day))  # `all: true` entries: their courts
        try:
            courts = [config.court(c) for c in court] if court else [c for c in config.courts if c.enabled]
            if not courts:
                raise ConfigError(f"{g.config_path}: no court to scrape (every court has enabled: false, or "
                                  "a portal's list of courts could not be read)")
        except ConfigError as exc:
            fail(str(exc), code=2)
        outcomes = unlisted + run_scrape(config, store, courts, window, day, full or bool(since or until))
    if not all(o.ok for o in outcomes):

        failures = [(o.court_id, o.run_id, o.error or "") for o in outcomes if not o.ok]
        told = report_failed_courts(config, store, failures)
        if told is not None:
            err.print(f"operators told: {told.state}", highlight=False)
        raise typer.Exit(1)


def run_scrape(config, store, courts, window, today, full=False, governor=None):

    # In the distributed mode, by hand beside the workers: on their shared budget, never on one of its own.
    governor = governor or governor_for(config, store)

    async def scrape():
        try:
            return await scrape_courts(config, store, courts, window, today=today, full=full, progress=on_progress,
                                       governor=governor)
        finally:
            close = getattr(governor.rate_limiter, "aclose", None)
            if close is not None:
                await close()

    try:
        with progress_bar(err) as (progress, on_progress):
            outcomes = asyncio.run(scrape())
    except OverridesError as exc:
        fail(str(exc), code=2)
    err.print(scrape_summary_table(outcomes, window))
    for outcome in outcomes:
        if outcome.error:
            err.print(f"[red]court {outcome.court_id} failed:[/] {outcome.error}", highlight=False)
    return outcomes


commands = typer.Typer(rich_markup_mode=None)
commands.command("scrape")(scrape_command)
