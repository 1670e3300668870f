"""Configuration mistakes that used to pass validation and fail later, for every partner at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app

runner = CliRunner()
COURT = 'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n'
HTTP = 'http: {user_agent: "t (ops@example.org)"}\n'


def status(tmp_path: Path, text: str | bytes):
    config = tmp_path / "c.yaml"
    config.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    from pipeline.store import db

    db.upgrade(db.make_engine(f"sqlite:///{tmp_path}/x.db"))  # a dry run reads an existing database
    return config, runner.invoke(app, ["--config", str(config), "--db", f"sqlite:///{tmp_path}/x.db", "notify",
                                       "--dry-run"])


@pytest.mark.parametrize("partner, key", [
    ('{name: "Legal\\nAid", emails: [a@example.org]}', "partners[0].name"),
    ('{name: "Legal\\u202eAid", emails: [a@example.org]}', "partners[0].name"),
    ('{name: operators, emails: [a@example.org]}', "partners[0].name"),
    ('{name: Aid, emails: ["a@example.org\\r\\nBcc: x@example.org"]}', "partners[0].emails"),
])
def test_a_bad_partner_is_refused_at_load_naming_file_and_key(tmp_path, partner, key):
    config, result = status(tmp_path, HTTP + COURT + f"partners:\n  - {partner}\n")
    assert result.exit_code == 2 and str(config) in result.stderr and key in result.stderr, result.output


def test_a_sender_with_a_line_break_is_refused_at_load(tmp_path):
    config, result = status(tmp_path, HTTP + COURT + 'notify: {sender: "Watch <w@example.org>\\r\\nBcc: x@example.org"}\n')
    assert result.exit_code == 2 and "notify.sender" in result.stderr and "control character" in result.stderr


def test_a_partner_name_with_the_key_separator_is_fine(tmp_path):
    _, result = status(tmp_path, HTTP + COURT + 'partners:\n  - {name: "North|South Aid", emails: [a@example.org]}\n')
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("encoding, says", [("latin-1", "line 2: not UTF-8"), ("utf-16", "UTF-16")])
def test_a_config_file_that_is_not_utf8_exits_2_with_the_line(tmp_path, encoding, says):
    text = HTTP + "# Peña's court\n" + COURT
    config, result = status(tmp_path, text.encode(encoding))
    assert result.exit_code == 2 and str(config) in result.stderr and says in result.stderr
    assert "Traceback" not in result.output


def test_a_key_written_twice_exits_2_with_its_line(tmp_path):
    config, result = status(tmp_path, HTTP + COURT + HTTP)
    assert result.exit_code == 2 and "line 4: key 'http' appears twice" in result.stderr
