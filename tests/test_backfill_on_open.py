"""A command opening a database an older release stored derives what that release did not."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from evictwatch.commands.app import app
from tests.web_support import fill

CONFIG = """\
http: {user_agent: "evictwatch-test (ops@example.org)"}
courts:
  - {id: alexandria, source: va-gdc, code: "510", base_url: "http://127.0.0.1:9/gdcourts/"}
  - {id: arlington, source: va-gdc, code: "013", base_url: "http://127.0.0.1:9/gdcourts/"}
"""


def _cli(tmp_path, store, *args):
    return CliRunner().invoke(app, ["--config", str(tmp_path / "config.yaml"), "--db", str(store.engine.url), *args])


def test_a_command_on_an_older_releases_database_derives_what_it_lacks(tmp_path, store):
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    fill(store)
    with store.engine.begin() as conn:  # as an older release left it: no status, names not folded
        conn.execute(text("UPDATE cases SET status = NULL WHERE case_number = 'GV26000001-00'"))
        conn.execute(text("UPDATE parties SET last_fold = NULL, first_fold = NULL"))
    assert store.missing_derivations()
    assert _cli(tmp_path, store, "optout", "list").exit_code == 0  # any command that opens the database
    assert not store.missing_derivations()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM cases WHERE case_number = 'GV26000001-00'")).scalar_one()
