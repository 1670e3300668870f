"""Issue 28, point 3: the weekly list, the urgent-alert digest and the watch-list digest read on a
phone (390 px) and on a laptop (1200 px) in Chromium, and a mail client that drops <style> still
gets a table with its columns.

The e-mails are the real ones, sent to the outbox from the store the demo leaves (its two
simulated courts, as seen the evening before a Wednesday; tests.test_list_tiers builds it).
Screenshots of what a person sees first are kept in tests/artifacts/phone-*.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from evictwatch.config import parse_config
from evictwatch.jobs.alerts import send_alerts
from evictwatch.jobs.lists import send_weekly_lists
from evictwatch.jobs.mail import iso_week
from evictwatch.jobs.watch import import_watch_list
from evictwatch.jobs.watch_digest import send_watch_digests
from pipeline.store.notices import eviction_cases
from scraper.browser import CHROMIUM_ARGS
from tests.test_list_tiers import COURT_SETTINGS, WEEK, WEEKDAYS, csv_rows, read
from tests.test_list_tiers import dockets, stores  # noqa: F401  (module fixtures: the demo's store)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = pytest.mark.browser

DAY = WEEK[2]  # a Wednesday
NOW = dt.datetime(2026, 12, 2, 16, tzinfo=dt.UTC)  # 11 AM in Alexandria: the run's fixed clock
PHONE, LAPTOP = 390, 1200
READABLE_PX = 12  # no text smaller than this (CSS px), on either screen
CASE_NUMBER = r"GV\d{8}-\d{2}|J\d-CV-\d{2}-\d{6}"
STYLE_BLOCK = re.compile(r"<style\b.*?</style>", re.S | re.I)
LIST_COLUMNS = ["Case", "Tenant", "ZIP", "Landlord", "Amount", "Status", "Prior cases", "Attorney"]

# Every case number in the body's text, where it is drawn (a zero box: not drawn at all).
NUMBERS_DRAWN = """pattern => {
    const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.textContent.matchAll(new RegExp(pattern, 'g'))) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const box = range.getBoundingClientRect();
            const hidden = getComputedStyle(node.parentElement).visibility !== 'visible';
            found.push({number: m[0], left: box.left, right: box.right, width: hidden ? 0 : box.width,
                        height: box.height});
        }
    }
    return found;
}"""
# Drawn text smaller than `min` px: [its first words, its size].
TOO_SMALL = """min => {
    const small = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (!node.textContent.trim() || !range.getClientRects().length) continue;
        const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
        if (size < min) small.push([node.textContent.trim().slice(0, 30), size]);
    }
    return small;
}"""
# Each drawn table row: its cells' left edge, top edge and text.
TABLE_ROWS = """selector => [...document.querySelectorAll(selector)].map(table => [...table.rows]
    .filter(row => row.getClientRects().length)
    .map(row => [...row.cells].map(cell => {
        const box = cell.getBoundingClientRect();
        return [Math.round(box.left), Math.round(box.top), cell.innerText.trim()];
    })))"""


@pytest.fixture(scope="module", autouse=True)
def needs_chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (bash scripts/test installs it)")


@pytest.fixture(scope="module")
def emails(stores, tmp_path_factory) -> dict[str, tuple[str, list[str]]]:  # noqa: F811
    """Each e-mail's HTML part and its attachment's case numbers in order, as the real jobs send them."""
    store = stores(DAY)
    folder = tmp_path_factory.mktemp("phone")
    open_cases = [c for c in eviction_cases(store) if not c.closed and c.tenant is not None]
    with open(folder / "watch.csv", "w", encoding="utf-8", newline="") as listed:
        rows = csv.writer(listed)
        rows.writerow(["Client ID", "Name", "ZIP", "Case number"])
        rows.writerows([f"W-{n}", "", "", c.case_number] for n, c in enumerate(open_cases[:8]))
        rows.writerows([f"N-{n}", c.tenant.name, c.tenant.zip5 or "", ""] for n, c in enumerate(open_cases[-4:]))
    config = parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(folder / "outbox"), "sender": "Watch <watch@example.org>"},
        "partners": [{"name": "Everyone", "emails": ["all@example.org"], "send_day": WEEKDAYS[DAY.weekday()],
                      "send_time": "10:15", "receives": ["weekly_list", "urgent_alerts", "watch_matches"],
                      "watch": {}}],
        "courts": COURT_SETTINGS,
    }, "test")
    [weekly] = send_weekly_lists(config, store, week=iso_week(DAY), now=NOW)
    [alerts] = send_alerts(config, store, today=DAY, now=NOW)
    import_watch_list(config, store, "Everyone", folder / "watch.csv", now=NOW)
    [watch] = send_watch_digests(config, store, today=DAY, now=NOW)
    found = {}
    for kind, result in (("list", weekly), ("alerts", alerts), ("watch", watch)):
        message = read(result.path)
        found[kind] = (message.get_body(("html",)).get_content(), [r["Case number"] for r in csv_rows(message)])
    return found


def _numbers_on_screen(page: Page, width: int, in_attachment: list[str]) -> int:
    """Every case number the body holds is drawn inside the screen's width; they are the first
    rows of the attachment, in its order. Returns how many cases the body shows."""
    drawn = page.evaluate(NUMBERS_DRAWN, CASE_NUMBER)
    off = [d["number"] for d in drawn if not (d["width"] > 0 and d["height"] > 0 and 0 <= d["left"]
                                                and d["right"] <= width)]
    assert off == [], f"{len(off)} case numbers not drawn on a {width} px screen: {off[:5]}"
    shown = list(dict.fromkeys(d["number"] for d in drawn))
    assert shown and shown == list(dict.fromkeys(in_attachment))[:len(shown)]
    return len(shown)


def _columns_aligned(page: Page, selector: str) -> list[list[list]]:
    """The tables' drawn rows; in each, the cells sit side by side on one line, and a column's
    cells share their left edge from row to row (a table, not a stack)."""
    tables = page.evaluate(TABLE_ROWS, selector)
    assert tables
    for rows in tables:
        first_of_its_kind = {len(row): row for row in reversed(rows)}
        for row in rows:
            lefts = [left for left, _, _ in row]
            assert len({top for _, top, _ in row}) == 1 and lefts == sorted(set(lefts)), row
            assert lefts == [left for left, _, _ in first_of_its_kind[len(row)]], row
    return tables


@pytest.mark.parametrize("kind", ["list", "alerts", "watch"])
def test_each_email_reads_on_a_phone_and_a_laptop_and_without_its_style(kind, emails):
    html, in_attachment = emails[kind]
    unstyled = STYLE_BLOCK.sub("", html)  # as a client that drops <style> shows it
    shown = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, body in ((PHONE, html), (LAPTOP, html), (LAPTOP, unstyled), (PHONE, unstyled)):
                styled = body is html
                page = browser.new_page(viewport={"width": width, "height": 844 if width == PHONE else 800})
                page.set_content(body)
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                if not styled and width == PHONE:
                    # A client that drops <style>, on a phone: the digests still fit; the list is its
                    # wide table there, scrolled sideways (the one thing <style> alone can fix).
                    assert kind == "list" or scroll_width <= width
                    page.close()
                    continue
                assert scroll_width <= width, f"{kind} at {width} px scrolls sideways ({scroll_width} px wide)"
                shown[width, styled] = _numbers_on_screen(page, width, in_attachment)
                assert page.evaluate(TOO_SMALL, READABLE_PX) == []
                if kind == "list":
                    _check_list(page, width)
                else:
                    _check_cards(page)
                if styled and kind in ("list", "alerts"):
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"phone-{kind}-{width}.png"))
                page.close()
        finally:
            browser.close()
    assert len(set(shown.values())) == 1  # the same cases on every screen
    if kind == "list":
        assert shown[PHONE, True] > 100  # the demo's volume: a long list on a phone


def _check_list(page: Page, width: int) -> None:
    tiers = [t for t in page.locator("h2").all_inner_texts() if t.startswith("Act now")]
    assert [t.split(":")[0] for t in tiers] == ["Act now 1", "Act now 2", "Act now 3"]  # order and labels kept
    if width == PHONE:  # stacked: no header row, each case in lines with its labels
        assert page.locator("table.ew-cases tr.ew-head").first.is_hidden()
        row = page.locator("table.ew-cases tr:not(.ew-head)").first
        case_cell, landlord_cell, attorney_cell = (row.locator("td").nth(i) for i in (1, 4, 8))
        assert landlord_cell.bounding_box()["y"] > case_cell.bounding_box()["y"]
        assert attorney_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Attorney: "'
        return
    tables = _columns_aligned(page, "table")
    for rows in tables:  # a header of the list's columns, every case a row of them
        assert [text for _, _, text in rows[0]][1:] == LIST_COLUMNS
        assert {len(row) for row in rows} == {1 + len(LIST_COLUMNS)}


def _check_cards(page: Page) -> None:
    """Alerts and watch items: a heading line, then label and value side by side."""
    tables = _columns_aligned(page, "table")
    pairs = [row for rows in tables for row in rows if len(row) == 2]
    assert {text for (_, _, text), _ in pairs} >= {"Case", "Tenants", "ZIP", "Landlord", "Look it up"}
    assert len({row[0][0] for row in pairs}) == 1 and len({row[1][0] for row in pairs}) == 1
