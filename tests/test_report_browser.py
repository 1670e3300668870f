"""The report in a real browser (headless system Chromium): every chart drawn, no console
error, no network request, names escaped; a screenshot is kept as a test artifact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from reports.render import write_report
from reports.weekly import build_report
from scraper.browser import CHROMIUM_ARGS
from tests.report_fixture import HOSTILE_LANDLORD, REPORT_WEEK, TODAY, populate

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def needs_chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (bash scripts/test installs it)")


@pytest.mark.parametrize("width", [1100, 390])  # a laptop and a phone
def test_report_renders_every_chart_offline(store, tmp_path, width):
    populate(store)
    report = build_report(store, REPORT_WEEK, health_courts=["alexandria", "arlington"], today=TODAY)
    path = write_report(report, tmp_path / "archive", generated_at=dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC),
                        names={}, covers="eviction cases")
    console_errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            for chart in ("chart-filings", "chart-outcomes", "chart-zips", "chart-days"):
                box = page.locator(f"#{chart} svg").bounding_box()
                assert box and box["width"] > 0.8 * min(width, 1100) - 80 and box["height"] > 100, chart
                assert page.locator(f"#{chart} svg").evaluate("s => s.querySelectorAll('path, rect, use').length") > 10
            assert page.locator("#top-filers").inner_text().count(HOSTILE_LANDLORD) == 1  # shown as text
            assert page.evaluate("() => document.querySelectorAll('body script:not([type])').length") == 0
            assert page.locator("#data-warning").is_visible()
            # Nothing sticks out sideways on a phone but the tables' own scroll boxes.
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"report-{width}.png"), full_page=True)
            index = path.parent / "index.html"
            page.goto(index.as_uri())
            assert page.locator("#reports a").first.get_attribute("href") == path.name
        finally:
            browser.close()
    assert console_errors == []
    assert {url.split(":", 1)[0] for url in requests} == {"file"}
    assert (ARTIFACTS / f"report-{width}.png").stat().st_size > 10_000
