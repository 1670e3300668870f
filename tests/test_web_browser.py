"""The workspace as a legal-aid worker uses it, in the system Chromium: sign in, find a tenant,
open the case, download, filter the dashboard, sign out; a session that expires; screenshots at
a phone's and a laptop's width, kept as test artifacts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import socket
import threading
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from pipeline.store.accounts import Role
from scraper.chromium import CHROMIUM_ARGS
from tests.web_support import PASSWORD, USERS, make_site
from web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser


@pytest.fixture
def served(store):
    """The workspace on a free port of 127.0.0.1, in a thread of this process; stopped afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (bash scripts/test installs it)")
    site = make_site(store)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(site.ws), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.02)
        yield site, f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page (WCAG 2 A and AA rules)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    return [f"{page.url}: {v}" for v in found]


def _no_overflow(page, width: int) -> None:
    page.wait_for_load_state("load")  # the style sheet applied: measured before it, a table is unstyled
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 0.5)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""", width)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"wider than the screen: {wide}"


def test_a_legal_aid_worker_finds_a_tenant_opens_the_case_downloads_and_signs_out(served):
    site, base = served
    problems, elsewhere = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # The workspace's CSP allows no script: the accessibility check's own is let in here only.
            context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True,
                                          bypass_csp=True)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))

            page.goto(f"{base}/search")
            expect(page).to_have_url(f"{base}/sign-in?next=%2Fsearch")
            inaccessible = _serious_violations(page)
            page.get_by_label("Email").fill(USERS[Role.LEGAL_AID])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{base}/search")

            page.get_by_label("Search").fill("Jose Pena")
            page.get_by_label("Search").press("Enter")
            expect(page.locator("table.cases tbody tr").first).to_contain_text("PEÑA, JOSÉ A")
            _no_overflow(page, 390)
            inaccessible += _serious_violations(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "workspace-search-390.png"), full_page=True)

            page.locator("table.cases tbody tr a").first.click()
            expect(page.locator("h2", has_text="Hearings")).to_be_visible()
            expect(page.locator("main")).to_contain_text("PEÑA, JOSÉ A")
            _no_overflow(page, 390)
            inaccessible += _serious_violations(page)
            page.screenshot(path=str(ARTIFACTS / "workspace-case-390.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.screenshot(path=str(ARTIFACTS / "workspace-case-1280.png"), full_page=True)

            page.goto(f"{base}/search?q=22305")
            with page.expect_download() as waiting:
                page.get_by_role("link", name="CSV").click()
            rows = list(csv.DictReader(io.StringIO(Path(waiting.value.path()).read_text(encoding="utf-8-sig"))))
            assert rows and all(r["ZIP"] == "22305" for r in rows)

            page.goto(f"{base}/dashboard?since=2026-09-01&until=2026-11-27")
            expect(page.locator(".total")).to_contain_text("40 filings")  # the partner's own cases
            page.get_by_label("ZIP").fill("22305")
            page.get_by_role("button", name="Show").click()
            expect(page.locator(".total")).to_contain_text("20 filings")
            inaccessible += _serious_violations(page)

            page.get_by_role("button", name="Sign out").click()
            expect(page).to_have_url(f"{base}/sign-in")
            page.goto(f"{base}/search")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()

            # A session left idle for half an hour ends: the next page asks to sign in again.
            page.get_by_label("Email").fill(USERS[Role.LEGAL_AID])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{base}/search")
            site.clock.now += dt.timedelta(minutes=31)
            page.reload()
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        finally:
            browser.close()
    assert problems == [] and elsewhere == []
    assert inaccessible == []


def test_the_task_force_reads_the_dashboard_and_the_operator_the_runs_on_a_phone_and_a_laptop(served):
    site, base = served
    inaccessible = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for role, landing, shown in ((Role.TASK_FORCE, "/dashboard", "Eviction filings"),
                                         (Role.OPERATOR, "/operator", "Runs")):
                context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
                page = context.new_page()
                page.goto(f"{base}/sign-in")
                page.get_by_label("Email").fill(USERS[role])
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(page).to_have_url(f"{base}{landing}")
                expect(page.locator("h1").first).to_have_text(shown)
                _no_overflow(page, 390)
                inaccessible += _serious_violations(page)
                text = page.locator("body").inner_text().upper()
                assert "PEÑA" not in text and "ELM ST" not in text and "TENANT 1" not in text
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"workspace-{role.value}-390.png"), full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})
                page.screenshot(path=str(ARTIFACTS / f"workspace-{role.value}-1280.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    assert inaccessible == []
