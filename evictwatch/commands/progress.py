"""What the CLI shows while scraping and after: a progress bar and the run summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from evictwatch.config import ScrapeWindow


@contextmanager
def progress_bar(console: Console) -> Iterator[tuple[Progress, Callable[[str, int, int], None]]]:
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("hearing days"), TimeElapsedColumn(), console=console, transient=True)
    tasks: dict[str, int] = {}

    def on_progress(court_id: str, done: int, total: int) -> None:
        if court_id not in tasks:
            tasks[court_id] = progress.add_task(court_id, total=total)
        progress.update(tasks[court_id], completed=done)

    with progress:
        yield progress, on_progress


def _cost(o) -> str:
    if o.mode == "full" or not o.full_requests:
        return "-"
    return f"{o.summary.requests / o.full_requests:.0%} of the last full ({o.full_requests})"


def _rate(o) -> str:
    """The court host's request rate as the scrape left it; below the configured one it was throttled."""
    rate = o.rate
    if rate is None:
        return "-"
    if not rate.below_configured:
        return f"{rate.configured_per_s:g}/s"
    return (f"[yellow]{rate.current_per_s:.2g}/s of {rate.configured_per_s:g}[/] "
            f"(lowest {rate.lowest_per_s:.2g}, {rate.throttled} throttled)")


SUMMARY_ROWS = (
    ("mode", lambda o: o.mode),
    ("hearing days", lambda o: o.summary.days_walked),
    ("result pages", lambda o: o.summary.result_pages),
    ("case pages", lambda o: o.summary.detail_pages),
    ("requests", lambda o: o.summary.requests),
    ("retries", lambda o: o.summary.retries),
    ("throttled", lambda o: o.summary.throttled),
    ("request rate", _rate),
    ("cost vs full scrape", _cost),
    ("due for re-check", lambda o: o.due),
    ("deferred to a later run", lambda o: o.deferred),
    ("listed, not opened", lambda o: o.summary.skipped_known),
    ("eviction cases", lambda o: o.summary.cases_yielded),
    ("  new", lambda o: o.new),
    ("  updated", lambda o: o.updated),
    ("  unchanged", lambda o: o.unchanged),
    ("bad case numbers", lambda o: o.summary.bad_case_numbers),
    ("unread values", lambda o: sum(o.summary.unknown_fields.values()) + o.unknown_values),
    ("history rows", lambda o: o.events),
    ("layout errors", lambda o: len(o.summary.layout_errors)),
    ("outcome", lambda o: "ok" if o.ok else "[red]failed[/]"),
)


def scrape_summary_table(outcomes: list, window: ScrapeWindow) -> Table:
    """One column per court, one row per figure: readable at 80 columns for a few courts."""
    table = Table(title=f"scrape of hearing dates {window.since} .. {window.until}", title_justify="left")
    table.add_column("")
    for o in outcomes:
        table.add_column(o.court_id, justify="right")
    for label, value in SUMMARY_ROWS:
        table.add_row(label, *(str(value(o)) for o in outcomes))
    return table
