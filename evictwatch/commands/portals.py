"""`evictwatch parse` and `evictwatch sim`: a court system's saved pages and its bundled simulator."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import typer

from evictwatch.commands.common import err, fail, out, parse_day, simulator_options
from evictwatch.courts import adapter
from scraper.base import HasSimulator
from scraper.errors import LayoutError, ScrapeError
from scraper.pagetext import body_text


def parse_page(
    source: str = typer.Argument(..., help="Court source, e.g. va-gdc."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A saved case-detail page."),
) -> None:
    """Parse a saved case-detail page and print it as JSON (the export schema, court null)."""
    try:
        parser = adapter(source)
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)
    html = body_text(file.read_bytes())  # by the page's own charset, as a scrape reads it
    try:
        record = parser.parse_case_page(html, str(file), None)
    except LayoutError as exc:
        fail(f"layout: {file} has no {exc.field}: it is not a case-detail page this parser can read")
    except ScrapeError as exc:
        fail(str(exc))
    out.print_json(json.dumps(record.export_dict(), ensure_ascii=False))


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
    try:
        system = adapter(source)
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)
    if not isinstance(system, HasSimulator):
        fail(f"court source {source} has no bundled simulator to serve", code=2)
    try:
        options = simulator_options(system.simulator_options, ctx.args)
        simulator = system.simulator(seed=seed, today=parse_day(today, "--today") or dt.date.today(),
                                      latency_ms=latency_ms, faults=faults, **options)
    except (KeyError, ValueError) as exc:
        fail(f"{source} simulator: {exc.args[0] if exc.args else exc}", code=2)
    try:
        running = simulator.start(host, port)  # port 0: a free one, named below
    except OSError as exc:
        fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}", code=2)
    err.print(f"serving the {source} simulator at {running.base_url} (Ctrl-C stops it)", highlight=False)
    try:
        idle = threading.Event()
        # A signal the kernel hands to one of the server's threads does not wake a main thread
        # blocked on a lock: waking every half second, it runs the Ctrl-C handler within that.
        while not idle.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


commands = typer.Typer(rich_markup_mode=None)
commands.command("parse")(parse_page)
commands.command("sim", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(sim)
