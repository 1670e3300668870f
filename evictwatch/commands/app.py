"""The `evictwatch` command: a thin layer over the stages' Python APIs."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from enum import Enum
from pathlib import Path

import typer
from rich.markup import escape

from evictwatch.commands.cases import case_command, landlords_command
from evictwatch.commands.common import (Globals, check_courts, database_option, err, fail, local_today,
                                        opened_database, out, parse_day, simulator_options, valid_week)
from evictwatch.commands.demo import demo_command
from evictwatch.commands.notify import notify_command, optout_app
from evictwatch.commands.distributed import enqueue_app, worker_command
from evictwatch.commands.ops import purge_command, run_command, scheduler_command, status_command
from evictwatch.commands.outreach import calendar_command, docket_command
from evictwatch.commands.scraping import scrape_command
from evictwatch.commands.watch import watch_app
from pipeline.store.faults import explain
from scraper.pagetext import body_text

# Plain click help: a switch reads `--dry-run`, not `--dry-run <bool>`.
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Find eviction cases in court portals (Virginia GDC, Tyler Odyssey) for legal-aid outreach.")
db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Database schema.")
archive_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="The raw-page archive.")
export_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                         help="Export stored data to standard output.")
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")
app.add_typer(archive_app, name="archive")
app.add_typer(optout_app, name="optout")
app.add_typer(watch_app, name="watch")
app.add_typer(enqueue_app, name="enqueue")
app.command("worker")(worker_command)
app.command("notify")(notify_command)
app.command("run")(run_command)
app.command("status")(status_command)
app.command("scheduler")(scheduler_command)
app.command("purge")(purge_command)
app.command("docket")(docket_command)
app.command("calendar")(calendar_command)
app.command("scrape")(scrape_command)
app.command("case")(case_command)
app.command("landlords")(landlords_command)
app.command("demo")(demo_command)

@app.callback()
def main(
    ctx: typer.Context,
    config: Path = typer.Option(Path("config.yaml"), "--config", help="Configuration file."),
    db_url: str = typer.Option(None, "--db", help="Database URL; default: database.url from the config."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more."),
) -> None:
    from evictwatch.logs import setup_logging

    setup_logging(verbose)
    ctx.obj = Globals(config_path=config, db_url=database_option(db_url), verbose=verbose)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the database schema, and on PostgreSQL the task queue's tables (other commands do this themselves too)."""
    from pipeline.store.jobqueue import upgrade_everything
    from pipeline.store.repo import Store

    g: Globals = ctx.obj
    store = Store.open(g.db_url or g.config().database.url)
    queue_made = upgrade_everything(store)
    out.print(f"schema at revision {store.revision()}: {store.file or store.shown_url}")
    if store.dialect == "postgresql":
        out.print("task queue (procrastinate): " + ("tables made" if queue_made else "tables present"),
                  highlight=False)


@app.command("parse")
def parse_page(
    source: str = typer.Argument(..., help="Court source, e.g. va-gdc."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A saved case-detail page."),
) -> None:
    """Parse a saved case-detail page and print it as JSON (the export schema, court null)."""
    from scraper.courts import get_source
    from scraper.errors import LayoutError, ScrapeError

    try:
        adapter = get_source(source)
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)
    html = body_text(file.read_bytes())  # by the page's own charset, as a scrape reads it
    try:
        record = adapter.parse_case_page(html, str(file), None)
    except LayoutError as exc:
        fail(f"layout: {file} has no {exc.field}: it is not a case-detail page this parser can read")
    except ScrapeError as exc:
        fail(str(exc))
    out.print_json(json.dumps(record.export_dict(), ensure_ascii=False))


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
    from evictwatch.jobs import export as exporting
    from pipeline.store.queries import iter_export

    store = ctx.obj.existing_store()
    cases = iter_export(store, court_id=ctx.obj.court_option(court, store))
    if format is ExportFormat.csv:
        exporting.write_csv(cases, sys.stdout)
    else:
        exporting.write_jsonl(cases, sys.stdout)


@app.command("report")
def report_command(
    ctx: typer.Context,
    week: str = typer.Option(None, "--week", help="ISO week YYYY-Www; default the last full week."),
    court: list[str] = typer.Option(None, "--court", help="Only this court (repeatable); default all courts."),
    out_dir: Path = typer.Option(None, "--out", help="Archive folder; default reports.folder from the config."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """The weekly trend report: one self-contained HTML file in the archive, with its index."""
    from evictwatch.jobs.mail import iso_week
    from evictwatch.jobs.report import make_report

    g: Globals = ctx.obj
    config = g.config()
    day = parse_day(today, "--today") or local_today(config)
    period = week or iso_week(day - dt.timedelta(days=7))
    if not valid_week(period):
        fail(f"--week {period!r}: expected an ISO week like 2026-W48", code=2)
    report, path = make_report(config, g.existing_store(), period, courts=check_courts(config, court), today=day,
                               out=out_dir)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    out.print(f"report {period}: {path}", highlight=False)
    out.print(f"archive index: {path.parent / 'index.html'}", highlight=False)


@archive_app.command("page")
def archive_page(
    ctx: typer.Context,
    case_number: str = typer.Argument(..., help="Case number, e.g. GV26000123-00."),
    court: str = typer.Option(None, "--court", help="Court id, when several courts share numbers."),
    out_file: Path = typer.Option(None, "--out", help="Write the page here instead of standard output."),
) -> None:
    """The newest archived page of a case, as fetched (for `evictwatch parse` or a bug report)."""
    found = ctx.obj.existing_store().latest_page(case_number.strip().upper(), court)
    if found is None:
        fail(f"no archived page for case {case_number}")
    from evictwatch.jobs.export import open_private

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


@app.command()
def reparse(ctx: typer.Context) -> None:
    """Rebuild every case from the archived pages, without the network."""
    from evictwatch.jobs.rebuild import reparse_archive

    result = reparse_archive(ctx.obj.store(), overrides=ctx.obj.overrides())
    out.print(f"reparsed {result.pages} archived case pages: {result.new} new, {result.updated} updated, "
              f"{result.unchanged} unchanged, {len(result.errors)} errors")
    for error in result.errors[:20]:
        err.print(f"  {error}", highlight=False)
    if result.errors:
        raise typer.Exit(1)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def sim(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="Court source whose bundled simulator to serve, e.g. va-gdc."),
    port: int = typer.Option(8450, help="Port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", help="Address to bind (keep it local)."),
    seed: int = typer.Option(1, help="Docket seed: the same seed serves the same cases."),
    today: str = typer.Option(None, help="The simulator's clock (YYYY-MM-DD); default today."),
    latency_ms: int = typer.Option(0, "--latency-ms", help="Delay every response this long."),
    faults: str = typer.Option("", help="e.g. '5xx=0.05,drop=0.02,truncate=0.02,layout=hearing-title'."),
) -> None:
    """Serve a court portal simulator with synthetic dockets (for development and the demo).

    Each court system's simulator takes switches of its own after these (va-gdc:
    --browser-check, --verification-code, --rate-limit N; tyler-odyssey: --captcha, --cap N);
    an unknown one is refused with the list of that simulator's switches.
    """
    from scraper.base import HasSimulator
    from scraper.courts import get_source

    try:
        adapter = get_source(source)
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)
    if not isinstance(adapter, HasSimulator):
        fail(f"court source {source} has no bundled simulator to serve", code=2)
    try:
        options = simulator_options(adapter.simulator_options, ctx.args)
        simulator = adapter.simulator(seed=seed, today=parse_day(today, "--today") or dt.date.today(),
                                      latency_ms=latency_ms, faults=faults, **options)
    except (KeyError, ValueError) as exc:
        fail(f"{source} simulator: {exc.args[0] if exc.args else exc}", code=2)
    try:
        running = simulator.start(host, port)  # port 0: a free one, named below
    except OSError as exc:
        fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}", code=2)
    err.print(f"serving the {source} simulator at {running.base_url} (Ctrl-C stops it)", highlight=False)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


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
