"""The tests' network guard: neither the test process nor a process it starts can reach beyond
127.0.0.0/8 and ::1, and a refused connection fails at once instead of waiting for a timeout.

10.255.255.1 is routable but answers nothing: without the guard a connection to it would hang
until its timeout (10 s here).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_socket import SocketConnectBlockedError

from tests.netguard.sitecustomize import NetworkGuardError, allowed_address

BLACKHOLE = "10.255.255.1"
CHROMIUM = "/usr/bin/chromium"

CHILD = r"""
import json, socket, sys, time

def attempt(what, call):
    started = time.monotonic()
    try:
        call()
        outcome = "connected"
    except Exception as exc:
        outcome = f"{type(exc).__name__}: {exc}"
    return {"what": what, "outcome": outcome, "seconds": time.monotonic() - started}

local = int(sys.argv[1])
results = [
    attempt("blackhole", lambda: socket.create_connection(("10.255.255.1", 80), timeout=10).close()),
    attempt("connect_ex", lambda: socket.socket().connect_ex(("10.255.255.1", 80))),
    attempt("name", lambda: socket.getaddrinfo("portal.example.invalid", 443)),
    attempt("local", lambda: socket.create_connection(("127.0.0.1", local), timeout=10).close()),
]
import httpx
results.append(attempt("httpx", lambda: httpx.get("http://10.255.255.1/gdcourts/", timeout=10)))
print(json.dumps({"guarded": "sitecustomize" in sys.modules, "results": results}))
"""


@pytest.fixture
def listener():
    """A socket listening on 127.0.0.1: the guard must let local connections through."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def test_a_child_python_process_cannot_connect_beyond_this_machine(listener, tmp_path):
    # As the tests start the evictwatch CLI: the environment as it is, another working directory.
    child = subprocess.run([sys.executable, "-c", CHILD, str(listener)], capture_output=True, text=True,
                           timeout=60, cwd=tmp_path, env=dict(os.environ))
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    assert report["guarded"], "tests/netguard/sitecustomize.py was not loaded in the child"
    results = {r["what"]: r for r in report["results"]}
    for what in ("blackhole", "connect_ex"):
        assert results[what]["outcome"].startswith("NetworkGuardError: netguard: connection to ('10.255.255.1', 80)")
        assert results[what]["seconds"] < 0.5, results[what]  # refused at once, not timed out
    assert results["name"]["outcome"].startswith("gaierror") and "not looked up" in results["name"]["outcome"]
    assert results["httpx"]["outcome"].startswith("ConnectError") and "netguard" in results["httpx"]["outcome"]
    assert results["httpx"]["seconds"] < 0.5, results["httpx"]
    assert results["local"]["outcome"] == "connected"


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket.connect:UserWarning")  # pytest-socket's
def test_the_test_process_cannot_connect_beyond_this_machine(listener):
    started = time.monotonic()
    with pytest.raises(SocketConnectBlockedError, match=BLACKHOLE):  # pytest-socket's --allow-hosts
        socket.create_connection((BLACKHOLE, 80), timeout=10)
    with socket.socket() as sock, pytest.raises(NetworkGuardError):  # connect_ex too (tests/netguard)
        sock.connect_ex((BLACKHOLE, 80))
    with pytest.raises(socket.gaierror, match="not looked up"):
        socket.getaddrinfo("portal.example.invalid", 443)
    assert time.monotonic() - started < 0.5
    socket.create_connection(("127.0.0.1", listener), timeout=10).close()


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True), ("localhost", True),
    ("10.255.255.1", False), ("192.168.1.1", False), ("::ffff:10.0.0.1", False), ("2001:db8::1", False),
    ("portal.example.invalid", False), ("0.0.0.0", False), (None, False),
])
def test_only_loopback_addresses_are_allowed(host, allowed):
    assert allowed_address(host) is allowed


@pytest.mark.browser
def test_chromium_resolves_nothing_but_127_0_0_1():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}")
    from scraper.browser import CHROMIUM_ARGS

    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in CHROMIUM_ARGS
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for url in (f"http://{BLACKHOLE}/gdcourts/", "https://portal.example.invalid/gdcourts/"):
                started = time.monotonic()
                with pytest.raises(playwright.Error, match="ERR_NAME_NOT_RESOLVED"):
                    page.goto(url, timeout=10_000)
                assert time.monotonic() - started < 5, url
        finally:
            browser.close()
