"""`evictwatch worker`: a worker of the distributed mode (run_mode: distributed)."""

from __future__ import annotations

import asyncio

import typer

from evictwatch.commands.common import Globals, out
from evictwatch.commands.distributed import distributed_url, prepare_database
from evictwatch.jobs.worker import serve_worker


def worker_command(
    ctx: typer.Context,
    concurrency: int = typer.Option(None, "--concurrency", min=1, max=64,
                                    help="Tasks run at once; default: distributed.concurrency."),
) -> None:
    """A worker of the distributed mode: runs the queue's tasks and fires the schedule, until SIGTERM.

    Start one or more on each machine; they share the database, the work and each court's request rate."""
    g: Globals = ctx.obj
    url = distributed_url(g, "worker")
    prepare_database(g, url)
    config = g.config()
    out.print(f"worker started ({concurrency or config.distributed.concurrency} tasks at once); SIGTERM or Ctrl-C "
              "stops it", highlight=False)
    out.file.flush()
    asyncio.run(serve_worker(config, url, concurrency=concurrency))


commands = typer.Typer(rich_markup_mode=None)
commands.command("worker")(worker_command)
