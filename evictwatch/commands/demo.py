"""`evictwatch demo`: the README's first command, and the summary a newcomer reads after it."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from evictwatch.commands.common import Globals, counted, err, out, parse_day
from evictwatch.commands.contacts import summary_lines
from evictwatch.commands.letters import run_lines as letter_lines
from evictwatch.commands.scraping import run_scrape
from evictwatch.config import ScheduleConfig
from evictwatch.jobs import demo as demo_job
from evictwatch.logs import logging_to_file


def demo_command(
    ctx: typer.Context,
    today: str = typer.Option(None, help="The simulated court's today (YYYY-MM-DD); default today."),
    seed: int = typer.Option(1, help="Docket seed."),
) -> None:
    """Scrape fifteen weeks of hearing dates of two bundled simulators (a Virginia GDC and an Odyssey JP court) into
    data/demo.db, export them as CSV, write the report and the partners' e-mails (its log goes to data/demo.log
    unless --verbose)."""
    g: Globals = ctx.obj
    # Today where the demo's courts sit (its schedule's zone), not the server's UTC date.
    day = parse_day(today, "--today") or dt.datetime.now(ZoneInfo(ScheduleConfig().timezone)).date()
    # The log to a file, so that the summary below reads in one piece; --verbose keeps it on the terminal.
    with nullcontext() if g.verbose else logging_to_file(demo_job.DEMO_LOG):
        result = demo_job.run_demo(g.config_path, g.db_url, day, seed, console=err, run=run_scrape)
    out.print(f"eviction cases in the demo database: {result.cases}")
    for name, count in result.by_court.items():
        out.print(f"  {name}: {count}", highlight=False)
    out.print(f"  this run: {result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
              f"{result.erased} erased (expunged by law, or gone from the court)")
    out.print(f"database: {result.db_path}")
    out.print(f"cases as CSV: {result.csv_path}")
    out.print(f"weekly trend report: {result.report_path} (archive: {result.report_path.parent / 'index.html'})",
              highlight=False)
    sheet = result.docket
    out.print(f"docket sheet for {sheet.day.isoformat()} ({counted(sheet.hearings, 'hearing')}, to print): "
              f"{sheet.html_path}" + (f" and {sheet.pdf_path}" if sheet.pdf_path else ""), highlight=False)
    for partner, path in result.calendars.items():
        out.print(f"calendar feed of {partner}: {path}", highlight=False)
    found = result.watch.matched
    out.print(f"watch list ({counted(result.watch.rows, 'row')}): {result.watch_list} -> {found.confident} confident, "
              f"{found.review} to review, {found.by_number} by case number", highlight=False)
    out.print(f"the demo's partners and courts: {result.config_file} (review the matches with: evictwatch "
              f"--config {result.config_file} watch review)", highlight=False)
    out.print("partners' e-mails (outbox):")
    for line in result.emails:
        out.print(f"  {line}", highlight=False)
    done = result.outreach
    out.print(f"letters of {done.partner}, where the court publishes tenants' streets:", highlight=False)
    for line in letter_lines(done.letters, day):
        out.print(f"  {line}", highlight=False)
    if done.imported is not None:
        got = done.imported
        out.print(f"its weekly list, filled in for a few rows as a worker would and read back: {done.filled} -> "
                  f"{got.recorded.added} added, {got.recorded.already} already recorded, {got.skipped} skipped",
                  highlight=False)
    out.print(f"what its outreach achieved (evictwatch --config {result.config_file} outreach summary --partner "
              f"'{done.partner}'):", highlight=False)
    for line in summary_lines(done.summary, done.partner):
        out.print(f"  {line}", highlight=False)
    program = ".venv/bin/evictwatch" if Path(".venv/bin/evictwatch").exists() else "evictwatch"  # as run here
    out.print(f"the workspace: {program} --config {result.config_file} serve, then open http://127.0.0.1:8080/ "
              "and sign in as", highlight=False)
    for account in result.accounts:
        shown = (f"password {account.password} (shown once)" if account.password else
                 f"its password was shown by the first demo run (new one: evictwatch --config {result.config_file} "
                 f"users reset {account.email})")
        out.print(f"  {account.email} ({account.role.value}): {shown}", highlight=False)
    if not g.verbose:
        out.print(f"log: {demo_job.DEMO_LOG} (evictwatch --verbose demo shows it as it runs)", highlight=False)
    if not result.ok:
        raise typer.Exit(1)


commands = typer.Typer(rich_markup_mode=None)
commands.command("demo")(demo_command)
