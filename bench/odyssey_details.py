"""Odyssey registers of actions: fetched with httpx in the browser's session, or read in the
browser itself. Both are measured here, in the same run, against the bundled simulator with
latency, and must give the same records; the adapter keeps the faster that is correct.

    .venv/bin/python bench/odyssey_details.py [--rate 8] [--latency-ms 250] [--days 14]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evictwatch.config import parse_config  # noqa: E402
from evictwatch.jobs.scrape import build_governor, settings_of  # noqa: E402
from scraper.base import Court, ScrapeContext  # noqa: E402
from scraper.courts import get_source  # noqa: E402
from scraper.courts.tyler_odyssey.scrape import OdysseyScraper  # noqa: E402

TODAY = dt.date(2026, 11, 27)


async def scrape(base_url: str, rate: float, days: int, over_http: bool) -> tuple[list, float, int]:
    config = parse_config({"http": {"user_agent": "evictwatch-bench (ops@example.org)"},
                           "courts": [{"id": "jp5", "source": "tyler-odyssey", "code": "Precinct Five",
                                       "base_url": base_url, "rate_limit_per_s": rate}]}, "bench")
    ctx = ScrapeContext(governor=build_governor(config), settings=settings_of(config), archive=lambda page: None)
    scraper = OdysseyScraper(Court("jp5", get_source("tyler-odyssey"), "Precinct Five", base_url), ctx,
                             details_over_http=over_http)
    await scraper.browser.start()  # the browser's start-up is not the registers' cost
    start = time.perf_counter()
    try:
        records = [r async for r in scraper.cases(TODAY - dt.timedelta(days=days), TODAY)]
    finally:
        await scraper.aclose()
    return records, time.perf_counter() - start, scraper.summary.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=8.0, help="requests/s allowed to the court host")
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--days", type=int, default=14, help="hearing dates walked back from today")
    args = parser.parse_args()
    sim = get_source("tyler-odyssey").simulator(seed=3, today=TODAY, latency_ms=args.latency_ms)
    running = sim.start()
    try:
        browser, browser_s, browser_requests = asyncio.run(scrape(running.base_url, args.rate, args.days, False))
        http, http_s, http_requests = asyncio.run(scrape(running.base_url, args.rate, args.days, True))
    finally:
        running.stop()
    assert http == browser and http, "the two ways must read the same registers"
    pages = len(http)
    print(f"{pages} registers, {args.latency_ms} ms latency, {args.rate:g} requests/s allowed")
    print(f"baseline, read in the browser: {browser_s:.1f} s, {pages / browser_s:.2f} registers/s, "
          f"{browser_requests} requests")
    print(f"httpx in the browser's session: {http_s:.1f} s, {pages / http_s:.2f} registers/s, "
          f"{http_requests} requests")
    print(f"httpx against the browser: {browser_s / http_s:.2f}x faster, same records")


if __name__ == "__main__":
    main()
