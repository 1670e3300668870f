"""The configuration checked whole at load: SMTP settings the transport would refuse, and a
configured landlord overrides file that is not there, stop every command (notify --dry-run too)
with exit 2 and a line naming the keys, not a crash at the first e-mail (issue 27, point 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evictwatch.config import ConfigError, load_config, parse_config
from pipeline.store import db
from tests.ops_support import cli

REPO = Path(__file__).resolve().parents[1]
COURT = {"id": "alexandria", "source": "va-gdc", "fips": "510", "base_url": "https://portal.example.invalid/gdcourts/"}
HTTP = {"user_agent": "t (ops@example.org)"}
COURT_YAML = 'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n'
HTTP_YAML = 'http: {user_agent: "t (ops@example.org)"}\n'
PARTNER_YAML = "partners:\n  - {name: Aid, emails: [a@example.org]}\n"
PLAIN_AND_CREDENTIALS = "notify: {transport: smtp, smtp: {host: 127.0.0.1, port: 2525, security: none, username: u}}\n"


def with_smtp(transport: str = "smtp", **smtp: Any) -> dict[str, Any]:
    return {"http": HTTP, "courts": [COURT],
            "notify": {"transport": transport, "smtp": {"host": "127.0.0.1", "port": 2525, **smtp}}}


@pytest.mark.parametrize("transport", ["smtp", "outbox"])  # a section kept for later is checked too
def test_credentials_over_a_plain_connection_are_refused_naming_both_keys(transport):
    with pytest.raises(ConfigError) as caught:
        parse_config(with_smtp(transport, security="none", username="u"), "site.yaml")
    message = str(caught.value)
    assert message.startswith("site.yaml: notify.smtp.username is set but notify.smtp.security is none")
    assert "starttls or tls" in message and "\n" not in message


@pytest.mark.parametrize("smtp", [
    {"security": "none"},  # a local relay without login
    {"security": "starttls", "username": "u"},
    {"security": "tls", "port": 465, "username": "u"},
    {"security": "tls", "port": 587},  # an odd port for the mode is the server's answer to give, not an error
])
def test_consistent_smtp_settings_load(smtp):
    assert parse_config(with_smtp(**smtp), "site.yaml").notify.smtp is not None


def test_a_ca_file_ssl_cannot_load_is_refused_naming_the_key_and_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the path is handed to ssl as written: relative to the working directory
    tmp_path = tmp_path.resolve()
    (tmp_path / "not-a-cert.pem").write_text("hello\n")
    (tmp_path / "certs").mkdir()
    for value, says in [("missing.pem", "does not exist"), ("certs", "is a folder"),
                        ("not-a-cert.pem", "holds no PEM certificate")]:
        with pytest.raises(ConfigError) as caught:
            parse_config(with_smtp(security="starttls", ca_file=value), "site.yaml")
        message = str(caught.value)
        assert f"notify.smtp.ca_file: {tmp_path / value} {says}" in message, message
        assert "remove ca_file" in message


def test_several_problems_are_reported_together(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        parse_config(with_smtp(security="none", username="u", ca_file="missing.pem"), "site.yaml")
    lines = str(caught.value).splitlines()
    assert lines[0] == "site.yaml: invalid configuration:"
    assert [line.split()[0].rstrip(":") for line in lines[1:]] == ["notify.smtp.username", "notify.smtp.ca_file"]


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "c.yaml"
    path.write_text(HTTP_YAML + COURT_YAML + text, encoding="utf-8")
    return path


def test_a_configured_overrides_file_that_is_missing_is_refused_naming_key_and_resolved_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = write(tmp_path / "site", "pipeline: {landlord_overrides: ../shared/landlords.yaml}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    wanted = tmp_path.resolve() / "shared" / "landlords.yaml"  # from the configuration file's folder, not the working one
    assert str(caught.value) == (f"{config}: pipeline.landlord_overrides: {wanted} does not exist; create the file "
                                 "(empty means no overrides), correct the path (relative to the configuration "
                                 "file), or remove the key")
    wanted.parent.mkdir()
    wanted.write_text("")
    assert load_config(config).overrides_path().resolve() == wanted


def test_a_configured_overrides_path_that_is_a_folder_is_refused(tmp_path):
    (tmp_path / "landlords.yaml").mkdir()
    with pytest.raises(ConfigError, match=r"pipeline\.landlord_overrides: .*landlords\.yaml is a folder, not a file"):
        load_config(write(tmp_path, "pipeline: {landlord_overrides: landlords.yaml}\n"))


def test_an_absolute_overrides_path_is_used_as_it_is(tmp_path):
    overrides = tmp_path / "elsewhere.yaml"
    overrides.write_text("merge: []\n")
    config = load_config(write(tmp_path / "site", f"pipeline: {{landlord_overrides: '{overrides}'}}\n"))
    assert config.overrides_path() == overrides


def test_the_default_overrides_file_may_be_absent(tmp_path):
    config = load_config(write(tmp_path, "pipeline: {landlord_match_threshold: 88}\n"))
    assert not config.overrides_path().exists()


def test_the_repos_config_and_overrides_load():
    config = load_config(REPO / "config.yaml")
    assert "landlord_overrides" in config.pipeline.model_fields_set
    assert config.overrides_path().resolve() == REPO / "landlords.yaml"


def notify(folder: Path, text: str, *command: str) -> tuple[int, str]:
    write(folder, text + PARTNER_YAML)
    db.upgrade(db.make_engine(f"sqlite:///{folder / 'x.db'}"))  # a dry run reads an existing database
    process = cli(folder, "--config", "c.yaml", "--db", "sqlite:///x.db", "notify", *command)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


@pytest.mark.parametrize("command", [("--dry-run",), ()])
def test_notify_exits_2_on_credentials_over_a_plain_connection(tmp_path, monkeypatch, command):
    monkeypatch.setenv("EVICTWATCH_SMTP_PASSWORD", "not-a-secret")  # what got `notify` as far as the ValueError
    code, stderr = notify(tmp_path, PLAIN_AND_CREDENTIALS, *command)
    assert code == 2, stderr
    assert stderr.strip().count("\n") == 0 and "Traceback" not in stderr
    assert stderr.startswith("error: c.yaml: notify.smtp.username is set but notify.smtp.security is none")


def test_notify_dry_run_exits_2_on_a_missing_overrides_file(tmp_path):
    code, stderr = notify(tmp_path, "pipeline: {landlord_overrides: staff/landlords.yaml}\n", "--dry-run")
    assert code == 2, stderr
    assert stderr.strip().count("\n") == 0 and "Traceback" not in stderr
    assert f"pipeline.landlord_overrides: {tmp_path.resolve() / 'staff' / 'landlords.yaml'} does not exist" in stderr


def test_notify_dry_run_runs_with_consistent_settings(tmp_path):
    code, stderr = notify(tmp_path, "notify: {transport: smtp, smtp: {host: 127.0.0.1, port: 2525, "
                           "security: starttls, username: u}}\n", "--dry-run")
    assert code == 0, stderr
