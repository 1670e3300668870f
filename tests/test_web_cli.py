"""`evictwatch users`, `serve` and `audit` as an operator runs them."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from evictwatch.commands.app import app
from tests.web_support import PASSWORD, fill

CONFIG = """\
http: {user_agent: "evictwatch-test (ops@example.org)"}
courts:
  - {id: alexandria, source: va-gdc, code: "510", base_url: "http://127.0.0.1:9/gdcourts/"}
partners:
  - {name: Alexandria Legal Aid, emails: [intake@example.org], filters: {courts: [alexandria]}}
"""


def _cli(tmp_path, *args, stdin: str | None = None):
    return CliRunner().invoke(app, ["--config", str(tmp_path / "config.yaml"), "--db",
                                    f"sqlite:///{tmp_path / 'ew.db'}", *args], input=stdin)


def test_users_are_added_listed_disabled_and_reset(tmp_path):
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    added = _cli(tmp_path, "users", "add", "Aid@Example.org", "--role", "legal_aid", "--partner",
                 "Alexandria Legal Aid", "--password-stdin", "--totp", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "added aid@example.org (legal_aid, Alexandria Legal Aid)" in added.stdout
    assert re.search(r"otpauth://totp/evictwatch:aid%40example.org\?secret=[A-Z2-7]+", added.stdout)
    assert PASSWORD not in added.output
    again = _cli(tmp_path, "users", "add", "aid@example.org", "--role", "operator", "--password-stdin",
                 stdin=PASSWORD + "\n")
    assert again.exit_code == 2 and "has an account already" in again.output
    assert _cli(tmp_path, "users", "add", "x@example.org", "--role", "legal_aid", "--password-stdin",
                stdin=PASSWORD + "\n").exit_code == 2  # a legal-aid user needs its partner
    assert _cli(tmp_path, "users", "add", "x@example.org", "--role", "legal_aid", "--partner", "Nobody",
                "--password-stdin", stdin=PASSWORD + "\n").exit_code == 2
    assert _cli(tmp_path, "users", "add", "x@example.org", "--role", "operator", "--password-stdin",
                stdin="short\n").exit_code == 2
    assert _cli(tmp_path, "users", "add", "x@example.org", "--role", "operator", stdin=PASSWORD + "\n").exit_code == 2
    listed = _cli(tmp_path, "users", "list").stdout
    assert "aid@example.org\tlegal_aid\tAlexandria Legal Aid\t2fa\tactive" in listed
    assert _cli(tmp_path, "users", "disable", "aid@example.org").exit_code == 0
    assert "\tdisabled" in _cli(tmp_path, "users", "list").stdout
    reset = _cli(tmp_path, "users", "reset", "aid@example.org", "--no-totp", stdin="another long password\n")
    assert reset.exit_code == 0 and "aid@example.org\tlegal_aid\tAlexandria Legal Aid\tno 2fa\tactive" in \
        _cli(tmp_path, "users", "list").stdout
    assert _cli(tmp_path, "users", "reset", "nobody@example.org", stdin=PASSWORD + "\n").exit_code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_signs_a_legal_aid_user_in_and_audit_lists_the_case_they_opened(tmp_path, store):
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    fill(store)
    url = str(store.engine.url)
    base = ["--config", str(tmp_path / "config.yaml"), "--db", url]
    runner = CliRunner()
    assert runner.invoke(app, [*base, "users", "add", "aid@example.org", "--role", "legal_aid", "--partner",
                               "Alexandria Legal Aid", "--password-stdin"], input=PASSWORD + "\n").exit_code == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", *base, "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "workspace at http://127.0.0.1:" in server.stderr.readline()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(100):
                try:
                    form = client.get("/sign-in")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text).group(1)
            signed = client.post("/sign-in", data={"email": "aid@example.org", "password": PASSWORD, "next": "",
                                                   "csrf_token": token})
            assert signed.status_code == 303 and signed.headers["location"] == "/search"
            found = client.get("/search", params={"q": "Smith, Robert"})
            number = re.search(r'href="/cases/alexandria/(GV\d{8}-\d{2})"', found.text).group(1)
            assert client.get(f"/cases/alexandria/{number}").status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        try:
            assert server.wait(timeout=20) == 0
        finally:
            server.kill()
            server.communicate()
    audit = runner.invoke(app, [*base, "audit", "--user", "aid@example.org"])
    assert audit.exit_code == 0 and f"case_view\talexandria {number}" in audit.stdout
    assert "SMITH" not in audit.stdout.upper()


def test_a_token_is_shown_once_listed_without_itself_and_revoked(tmp_path):
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    made = _cli(tmp_path, "tokens", "add", "--partner", "Alexandria Legal Aid")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"ew_[A-Za-z0-9_-]{40,}", token)
    listed = _cli(tmp_path, "tokens", "list").stdout
    assert "1\tAlexandria Legal Aid\t" in listed and listed.rstrip().endswith("active") and token not in listed
    assert _cli(tmp_path, "tokens", "add", "--partner", "Nobody").exit_code == 2
    assert _cli(tmp_path, "tokens", "revoke", "1").exit_code == 0
    assert "revoked" in _cli(tmp_path, "tokens", "list").stdout
    assert _cli(tmp_path, "tokens", "revoke", "1").exit_code == 2
