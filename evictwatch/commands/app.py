"""The `evictwatch` command: a thin layer over the stages' Python APIs.

Each command lives in a module of this package, which is imported only when that command runs
(or its help is shown): `evictwatch --help` and a command's start load only what they use.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, NamedTuple

import typer
from rich.markup import escape
from typer.core import TyperGroup

from evictwatch.commands.common import Globals, database_option, err, opened_database
from evictwatch.logs import setup_logging
from pipeline.store.faults import explain


class Entry(NamedTuple):
    module: str  # under evictwatch.commands; its `commands` Typer holds the command of this name
    summary: str  # the line `evictwatch --help` shows


COMMANDS: dict[str, Entry] = {
    "scrape": Entry("scraping", "Scrape eviction cases from the configured courts into the database."),
    "run": Entry("ops", "One full cycle: scrape every court, then what is due."),
    "status": Entry("status", "Health at a glance: courts, freshness, deliveries, alarms."),
    "scheduler": Entry("ops", "A long-running service running config.yaml's schedule."),
    "purge": Entry("ops", "Erase the cases the law erases, and closed cases past retention."),
    "notify": Entry("notify", "E-mail the partners what is due: lists, alerts, reports, digests."),
    "optout": Entry("optout", "Households that asked not to be contacted."),
    "watch": Entry("watch", "A partner's watch list: import it, review its matches."),
    "outreach": Entry("contacts", "Outreach to tenants: record it, read back the weekly list's."),
    "letters": Entry("letters", "Letters to the tenants of a partner's new cases, where courts publish streets."),
    "canvass": Entry("letters", "A printable sheet of the week's new filings by building, for door knocking."),
    "docket": Entry("outreach", "The hearing-day docket sheet of a court day."),
    "calendar": Entry("outreach", "A partner's upcoming hearings as an iCalendar feed."),
    "report": Entry("outreach", "The weekly trend report, as one HTML file."),
    "estimate": Entry("estimate", "Estimates from the stored cases: the cost to stop the coming evictions."),
    "case": Entry("cases", "One case: where it stands, its parties and timeline."),
    "landlords": Entry("cases", "Landlord groups: plaintiff spellings judged to be one filer."),
    "export": Entry("data", "Export stored data to standard output."),
    "archive": Entry("data", "The raw-page archive."),
    "reparse": Entry("data", "Rebuild every case from the archived pages, offline."),
    "db": Entry("data", "Database schema."),
    "worker": Entry("worker", "A worker of the distributed mode."),
    "enqueue": Entry("distributed", "Put work in the distributed mode's task queue."),
    "demo": Entry("demo", "The demo: scrape the bundled simulators, send to a local outbox."),
    "parse": Entry("portals", "Parse a saved case-detail page and print it as JSON."),
    "sim": Entry("portals", "Serve a court portal simulator with synthetic dockets."),
    "serve": Entry("web", "Serve the partner workspace (search, cases, dashboard) on the web."),
    "users": Entry("web", "The workspace's accounts and roles."),
    "audit": Entry("web", "Who viewed whose case in the workspace."),
    "tokens": Entry("web", "Partners' tokens for the JSON API."),
}


class LazyCommands(TyperGroup):
    """Resolves a command's name to its module when it is needed, not at start."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, name: str) -> Any:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        module = importlib.import_module(f"evictwatch.commands.{entry.module}")
        return typer.main.get_group(module.commands).get_command(ctx, name)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry.summary) for name, entry in COMMANDS.items()])


# Plain click help: a switch reads `--dry-run`, not `--dry-run <bool>`.
app = typer.Typer(cls=LazyCommands, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="Find eviction cases in court portals (Virginia GDC, Tyler Odyssey) for legal-aid outreach.")


@app.callback()
def global_options(
    ctx: typer.Context,
    config: Path = typer.Option(Path("config.yaml"), "--config", help="Configuration file."),
    db_url: str = typer.Option(None, "--db", help="Database URL; default: database.url from the config."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more."),
) -> None:
    setup_logging(verbose)
    ctx.obj = Globals(config_path=config, db_url=database_option(db_url), verbose=verbose)


def main() -> None:
    """`evictwatch`: the commands, with a resource fault (a read-only or locked database, a full
    disk) said in words with its own exit code, never as a traceback."""
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - anything else is re-raised as it was
        fault = explain(exc, opened_database())
        if fault is None:
            raise
        err.print(f"[bold red]error:[/] {escape(fault.message)}", highlight=False, soft_wrap=True)
        sys.exit(fault.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
