from __future__ import annotations

import json
import re
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from evictwatch.cli import app

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "va-gdc"
runner = CliRunner()


def _command_paths(group=None, prefix=""):
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from _command_paths(command, path + " ")
        else:
            yield path


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    paths = list(_command_paths())
    assert {"scrape", "export cases", "parse", "reparse", "db upgrade", "sim", "demo"} <= set(paths)
    for path in paths:
        assert f"`evictwatch {path}" in readme, f"README does not document `evictwatch {path}`"


def test_parse_prints_the_export_schema():
    result = runner.invoke(app, ["parse", "va-gdc", str(GOLDEN / "hand-detail-judgment-writ.html")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["court"] is None
    assert data["case_number"] == "GV26001234-00"
    assert data["judgment"]["principal"] == "12480.55"
    assert data["hearings"][1]["time"] == "13:30"
    assert set(data) == {"court", "case_number", "filed_date", "case_type", "plaintiffs", "defendants",
                         "hearings", "judgment"}


def test_parse_names_page_and_field_on_a_layout_change():
    result = runner.invoke(app, ["parse", "va-gdc", str(GOLDEN / "hand-detail-no-hearing-section.html")])
    assert result.exit_code == 1
    assert "hand-detail-no-hearing-section.html" in result.stderr
    assert "Hearing Information" in result.stderr


def test_bad_config_exits_2_with_file_and_key(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('http: {user_agent: "x (ops@example.org)"}\ncourts:\n  - {id: a, source: va-gdc, fips: "51", '
                   'base_url: "https://eapps.courts.state.va.us/gdcourts/"}\n')
    result = runner.invoke(app, ["--config", str(bad), "--db", f"sqlite:///{tmp_path}/x.db", "scrape"])
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "courts[0].fips" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_court_exits_2(tmp_path: Path):
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path}/x.db", "scrape", "--court", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and "alexandria" in result.stderr


def test_db_upgrade_and_empty_export(tmp_path: Path):
    url = f"sqlite:///{tmp_path}/x.db"
    result = runner.invoke(app, ["--db", url, "db", "upgrade"])
    assert result.exit_code == 0 and re.search(r"revision 0001", result.stdout)
    result = runner.invoke(app, ["--db", url, "export", "cases", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("court,case_number,filed_date,case_type,plaintiffs")
