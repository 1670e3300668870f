"""`evictwatch db upgrade`, `export cases`, `archive page` and `reparse`: the database and its archive."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from evictwatch.commands.common import Globals, err, fail, out
from evictwatch.commands.database import existing_store, open_store, overrides
from evictwatch.jobs import export as exporting
from evictwatch.jobs.export import open_private
from evictwatch.jobs.rebuild import reparse_archive
from pipeline.store.jobqueue import upgrade_everything
from pipeline.store.queries import iter_export
from pipeline.store.repo import Store

db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Database schema.")
archive_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="The raw-page archive.")
export_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Export stored data to standard output.")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the database schema, and on PostgreSQL the task queue's tables (other commands do this themselves too)."""
    g: Globals = ctx.obj
    store = Store.open(g.db_url or g.config().database.url)
    queue_made = upgrade_everything(store)
    out.print(f"schema at revision {store.revision()}: {store.file or store.shown_url}")
    if store.dialect == "postgresql":
        out.print("task queue (procrastinate): " + ("tables made" if queue_made else "tables present"),
                  highlight=False)


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


@export_app.command("cases")
def export_cases(
    ctx: typer.Context,
    format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", help="jsonl (default) or csv."),
    court: str = typer.Option(None, "--court", help="Only this court id."),
) -> None:
    """Every stored case, one per line (jsonl) or row (csv), to standard output."""
    store = existing_store(ctx.obj)
    cases = iter_export(store, court_id=ctx.obj.court_option(court, store))
    if format is ExportFormat.csv:
        exporting.write_csv(cases, sys.stdout)
    else:
        exporting.write_jsonl(cases, sys.stdout)


@archive_app.command("page")
def archive_page(
    ctx: typer.Context,
    case_number: str = typer.Argument(..., help="Case number, e.g. GV26000123-00."),
    court: str = typer.Option(None, "--court", help="Court id, when several courts share numbers."),
    out_file: Path = typer.Option(None, "--out", help="Write the page here instead of standard output."),
) -> None:
    """The newest archived page of a case, as fetched (for `evictwatch parse` or a bug report)."""
    found = existing_store(ctx.obj).latest_page(case_number.strip().upper(), court)
    if found is None:
        fail(f"no archived page for case {case_number}")

    court_id, url, body = found
    if out_file:
        try:
            with open_private(out_file, "wb") as fh:
                fh.write(body)
        except OSError as exc:
            fail(f"--out {out_file}: cannot write it ({exc.strerror or exc})", code=2)
        err.print(f"{court_id} {case_number}: {url} -> {out_file}", highlight=False)
    else:
        sys.stdout.write(body.decode("utf-8", errors="replace"))


def reparse(ctx: typer.Context) -> None:
    """Rebuild every case from the archived pages, without the network."""
    result = reparse_archive(open_store(ctx.obj), overrides=overrides(ctx.obj))
    out.print(f"reparsed {result.pages} archived case pages: {result.new} new, {result.updated} updated, "
              f"{result.unchanged} unchanged, {len(result.errors)} errors")
    for error in result.errors[:20]:
        err.print(f"  {error}", highlight=False)
    if result.errors:
        raise typer.Exit(1)


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(db_app, name="db")
commands.add_typer(export_app, name="export")
commands.add_typer(archive_app, name="archive")
commands.command("reparse")(reparse)
