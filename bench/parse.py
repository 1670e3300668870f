"""Parsing speed: the court parsers (lxml) against a BeautifulSoup html.parser baseline.

Parses every golden page of both portals and simulator pages (Virginia detail and result
pages, Odyssey registers and calendars), one process on one core, and prints pages/s for
each kind, the Virginia baseline (the same extraction on BeautifulSoup, html.parser) and
their ratio, all measured in this run; then the slowest single parse over the golden pages,
the simulator pages and the hostile pages the fuzz test draws from (`scraper/simkit/hostile.py`).

    .venv/bin/python bench/parse.py [--pages 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import va_gdc_bs4  # noqa: E402
from scraper.courts import get_source  # noqa: E402
from scraper.courts.tyler_odyssey.parse import parse_results  # noqa: E402
from scraper.courts.tyler_odyssey.register import parse_register  # noqa: E402
from scraper.courts.tyler_odyssey.sim.detail import detail_page as odyssey_detail  # noqa: E402
from scraper.courts.tyler_odyssey.sim.docket import Docket as OdysseyDocket  # noqa: E402
from scraper.courts.tyler_odyssey.sim.pages import calendar_results  # noqa: E402
from scraper.courts.va_gdc.parse import parse_case_detail, parse_case_page  # noqa: E402
from scraper.courts.va_gdc.results import parse_result_page  # noqa: E402
from scraper.courts.va_gdc.sim import Docket as VaDocket  # noqa: E402
from scraper.courts.va_gdc.sim.detail import detail_page as va_detail  # noqa: E402
from scraper.courts.va_gdc.sim.pages import PAGE_SIZE, results_page  # noqa: E402
from scraper.errors import ScrapeError  # noqa: E402
from scraper.simkit.hostile import mutations  # noqa: E402

TODAY = dt.date(2026, 11, 27)
VA_URL = "http://127.0.0.1/gdcourts/caseSearch.do"
OD_URL = "http://127.0.0.1/PublicAccess/CaseDetail.aspx?CaseID=1"
Page = tuple[str, str]  # html, url


def va_pages(count: int) -> tuple[list[Page], list[Page]]:
    docket = VaDocket(1, TODAY)
    details: list[Page] = []
    results: list[Page] = []
    day = TODAY - dt.timedelta(days=1)
    while len(details) < count or len(results) < count // 10:
        for fips in ("510", "763"):
            rows = docket.hearing_rows(fips, day)
            for start in range(0, len(rows), PAGE_SIZE):
                shown = rows[start:start + PAGE_SIZE]
                fields = {"searchTerm": day.strftime("%m/%d/%Y"), "searchFipsCode": fips}
                results.append((results_page(fips, fields, shown, has_next=start + PAGE_SIZE < len(rows), counter=1,
                                             layout="none"), VA_URL))
            details.extend((va_detail(record, fips), f"{VA_URL}?displayCaseNumber={record.case_number}")
                           for record, _ in rows)
        day -= dt.timedelta(days=1)
    return details[:count], results


def odyssey_pages(count: int) -> tuple[list[Page], list[Page]]:
    docket = OdysseyDocket(1, TODAY)
    details: dict[str, Page] = {}
    results: list[Page] = []
    since = TODAY - dt.timedelta(days=7)
    while len(details) < count:
        rows = docket.calendar(since, since + dt.timedelta(days=6), frozenset(range(1, 6)))
        for start in range(0, len(rows), 50):
            results.append((calendar_results(rows[start:start + 50], False, since, since + dt.timedelta(days=6),
                                             "none"), OD_URL))
        for case, _ in rows:
            details.setdefault(case.case_number, (odyssey_detail(case, TODAY, "none"), OD_URL))
        since -= dt.timedelta(days=7)
        if since < TODAY - dt.timedelta(days=3 * 365):
            break
    return list(details.values())[:count], results


def golden_pages() -> list[tuple[str, str, str, dict]]:
    """(portal, html, url, expected description) of every golden page, as tests/test_golden_pages.py reads them."""
    out = []
    for portal in ("va-gdc", "tyler-odyssey"):
        for html_path in sorted((ROOT / "tests" / "golden" / portal).glob("*.html")):
            expected = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
            url = expected.pop("url", "https://portal.example.invalid/gdcourts/caseSearch.do")
            expected.pop("note", None)
            out.append((portal, html_path.read_bytes().decode("utf-8"), url, expected))
    return out


def rate(parse: Callable[[str, str], object], pages: list[Page], repeat: int) -> float:
    """Pages per second on this core, the best of `repeat` passes (the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for html, url in pages:
            parse(html, url)
        best = min(best, time.process_time() - started)
    return len(pages) / best


def slowest(parse: Callable[[str, str], object], pages: list[Page]) -> tuple[float, int]:
    worst, size = 0.0, 0
    for html, url in pages:
        started = time.perf_counter()
        try:
            parse(html, url)
        except (ScrapeError, ValueError):
            pass
        took = time.perf_counter() - started
        if took > worst:
            worst, size = took, len(html)
    return worst, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000, help="simulator detail pages per portal")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    goldens = golden_pages()
    mismatched = [url for portal, html, url, expected in goldens if get_source(portal).describe_page(html, url) != expected]
    va_details, va_results = va_pages(args.pages)
    od_details, od_results = odyssey_pages(args.pages)
    same = sum(parse_case_detail(h, u) == va_gdc_bs4.parse_case_detail(h, u) for h, u in va_details[:500])
    same_rows = sum(parse_result_page(h, u, None).rows == va_gdc_bs4.parse_result_rows(h, u, None)
                    for h, u in va_results[:100])
    print(f"{len(goldens)} golden pages ({len(mismatched)} differ from their JSON); simulator pages: "
          f"{len(va_details)} + {len(va_results)} Virginia detail + result, "
          f"{len(od_details)} + {len(od_results)} Odyssey register + calendar")
    print(f"same records from the lxml parser and the baseline: {same}/500 detail pages, "
          f"{same_rows}/100 result pages")

    figures = {
        "va detail (scrape: parse_case_detail)": rate(parse_case_detail, va_details, args.repeat),
        "va detail (reparse: parse_case_page)": rate(parse_case_page, va_details, args.repeat),
        "va detail baseline (bs4 html.parser)": rate(va_gdc_bs4.parse_case_detail, va_details[:1000], 1),
        "va result": rate(lambda h, u: parse_result_page(h, u, None), va_results, args.repeat),
        "va result baseline (bs4 html.parser)": rate(lambda h, u: va_gdc_bs4.parse_result_rows(h, u, None),
                                                     va_results[:200], 1),
        "odyssey register": rate(parse_register, od_details, args.repeat),
        "odyssey calendar": rate(parse_results, od_results, args.repeat),
    }
    for name, value in figures.items():
        print(f"{name:42s} {value:8,.0f} pages/s per core")
    print(f"va detail against the baseline: {figures['va detail (scrape: parse_case_detail)'] / figures['va detail baseline (bs4 html.parser)']:.1f}x"
          f"  (target: >= 1,000 pages/s and >= 5x)")
    print(f"va result against the baseline: {figures['va result'] / figures['va result baseline (bs4 html.parser)']:.1f}x")

    hostile_va = [(m, u) for h, u in va_details[:20] + va_results[:5] for m in mutations(h, random.Random(7), 8)]
    hostile_od = [(m, u) for h, u in od_details[:20] + od_results[:5] for m in mutations(h, random.Random(7), 8)]
    va_any = get_source("va-gdc").describe_page
    od_any = get_source("tyler-odyssey").describe_page
    for label, parse, pages in (
            ("va golden", va_any, [(h, u) for p, h, u, _ in goldens if p == "va-gdc"]),
            ("odyssey golden", od_any, [(h, u) for p, h, u, _ in goldens if p == "tyler-odyssey"]),
            ("va simulator", va_any, va_details[:2000] + va_results),
            ("odyssey simulator", od_any, od_details[:2000] + od_results),
            ("va hostile", va_any, hostile_va),
            ("odyssey hostile", od_any, hostile_od)):
        worst, size = slowest(parse, pages)
        print(f"slowest parse, {label:18s} {worst * 1000:8.1f} ms ({size:,} characters; {len(pages)} pages)")


if __name__ == "__main__":
    main()
