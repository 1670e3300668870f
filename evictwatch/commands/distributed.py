"""The distributed mode's commands (run_mode: distributed): `evictwatch enqueue run`, and the checks
`evictwatch worker` shares (its own module loads the workers' tasks: `enqueue` starts without them)."""

from __future__ import annotations

import asyncio

import typer

from evictwatch.commands.common import Globals, fail, out, parse_day
from evictwatch.jobs.queue import DistributedError, enqueue_cycle, require_postgres
from pipeline.store.handle import Database
from pipeline.store.jobqueue import apply_queue_schema, queue_schema_present
from pipeline.store.locks import upgrade_lock

enqueue_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                          help="Put work in the distributed mode's task queue.")


def distributed_url(g: Globals, command: str) -> str:
    """The database URL, once the configuration says distributed and the database is PostgreSQL."""
    config = g.config()
    if config.run_mode != "distributed":
        fail(f"{g.config_path}: run_mode is {config.run_mode}; `evictwatch {command}` belongs to run_mode: "
             "distributed (docs/operations.md: Running on several machines)", code=2)
    url = g.db_url or config.database.url
    try:
        require_postgres(url, f"`evictwatch {command}`")
    except DistributedError as exc:
        fail(f"{g.config_path}: {exc}", code=2)
    return url


def refuse_if_distributed(g: Globals, command: str) -> None:
    """`run` and `scheduler` are the embedded mode's: with workers they would race them."""
    if g.config().run_mode == "distributed":
        fail(f"{g.config_path}: run_mode is distributed, so the workers run the cycles and the schedule: "
             f"start a cycle with `evictwatch enqueue run`, not `evictwatch {command}`", code=2)


def prepare_database(g: Globals, url: str, *, to_defer: bool = False):
    """The schema and the queue's tables up to date, and what older releases stored derived
    (one machine at a time). Only to defer a task (`enqueue`), a schema at its head and the
    queue's tables are enough: each worker does the rest as it starts, and a new release's
    workers must restart to run it anyway."""
    database = Database.open(url)  # the store's modules only when the schema needs them
    try:
        if to_defer and database.at_head() and queue_schema_present(database):
            return
        with upgrade_lock(database):
            # Imported here: at the schema's head `enqueue` starts without the store's modules.
            from evictwatch.commands.database import open_store

            open_store(g)  # the same engine: one per database while it is held
            apply_queue_schema(database)
    finally:
        database.close()


@enqueue_app.command("run")
def enqueue_run(
    ctx: typer.Context,
    today: str = typer.Option(None, help="The cycle's day (YYYY-MM-DD), as `evictwatch run --today`."),
) -> None:
    """Start a cycle by hand: the workers scrape every court, then send what is due (`evictwatch run`'s work)."""
    g: Globals = ctx.obj
    url = distributed_url(g, "enqueue run")
    day = parse_day(today, "--today")
    prepare_database(g, url, to_defer=True)
    job = asyncio.run(enqueue_cycle(url, today=day))
    out.print(f"cycle queued as job {job}: `evictwatch status` shows the queue and the workers", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(enqueue_app, name="enqueue")
