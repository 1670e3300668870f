"""What the CLI shows while scraping and after: a progress bar and the run summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
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


def scrape_summary_table(outcomes: list, window: ScrapeWindow) -> Table:
    table = Table(title=f"scrape of hearing dates {window.since} .. {window.until}")
    for column in ("court", "days", "result pages", "case pages", "requests", "retries", "throttled",
                   "cases", "new", "updated", "unchanged", "bad numbers", "unread values", "layout errors",
                   "outcome"):
        table.add_column(column, justify="left" if column in ("court", "outcome") else "right")
    for o in outcomes:
        s = o.summary
        table.add_row(o.court_id, str(s.days_walked), str(s.result_pages), str(s.detail_pages),
                      str(o.stats.requests), str(o.stats.retries), str(o.stats.throttled),
                      str(s.cases_yielded), str(o.new), str(o.updated), str(o.unchanged),
                      str(s.bad_case_numbers), str(sum(s.unknown_fields.values())), str(len(s.layout_errors)),
                      "ok" if o.ok else "[red]failed[/]")
    return table
