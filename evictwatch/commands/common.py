"""What every `evictwatch` command shares: the global options, the consoles, failing cleanly."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

from evictwatch.config import AppConfig, ConfigError, PartnerConfig, load_config

if TYPE_CHECKING:
    from pipeline.store.repo import Store

# Every command imports this module, `evictwatch --help` too: opening the database is in
# `evictwatch.commands.database`, which the commands that open it import.

# Off a terminal (a pipe, a log, cron's mail) nothing is wrapped at 80 columns mid-value.
_WIDE = 200
err = Console(stderr=True, width=None if sys.stderr.isatty() else _WIDE)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else _WIDE)  # paths and keys on one line


@dataclass
class Globals:
    config_path: Path
    db_url: str | None
    verbose: bool = False
    _config: AppConfig | None = None
    # Set once the database is open: expands `all: true` court entries into the courts listed.
    listed_courts: Callable[[AppConfig], None] | None = None

    def config(self) -> AppConfig:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                fail(str(exc), code=2)
            if self.listed_courts is not None:
                self.listed_courts(self._config)
        return self._config  # type: ignore[return-value]

    def courts_listed_in(self, store: Store) -> None:
        """From now on the configuration's courts are those `store` lists for `all: true` entries."""
        from evictwatch.listed_courts import use_listed_courts  # with the database, not with --help

        self.listed_courts = lambda config: use_listed_courts(config, store)
        if self._config is not None:
            self.listed_courts(self._config)

    def court_option(self, court: str | None, store: Store) -> str | None:
        """A --court id checked against the configured (and stored) courts; exit 2 if unknown."""
        if court is None:
            return None
        configured = [c.id for c in self.config().courts] if self.config_path.exists() else []
        if court in configured or court in store.court_ids():
            return court
        fail(f"--court {court!r}: no such court; configured: {', '.join(configured) or 'none'}", code=2)
        return None



def database_option(value: str | None) -> str | None:
    """--db as given, refused (exit 2) when it is a file's path rather than a URL, saying what to write."""
    if value is None or "://" in value:
        return value
    slashes = "sqlite:///" + value  # an absolute path's own slash makes the four an absolute URL needs
    fail(f"--db {value!r} is a file's path, not a database URL: write --db {slashes}", code=2)
    return None


def known_partner(config: AppConfig, name: str, config_path: Path) -> PartnerConfig:
    """The partner a --partner name gives; exit 2 listing the partners the configuration holds."""
    for partner in config.partners:
        if partner.name == name:
            return partner
    names = [p.name for p in config.partners]
    fail(f"--partner: no partner named {name!r} in {config_path} (partners[].name); configured: "
         + (", ".join(repr(n) for n in names) or "none"), code=2)
    raise AssertionError("fail() exits")


def counted(count: int, word: str, plural: str | None = None) -> str:
    """'1 courtroom', '2 courtrooms', '0 hearings'."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


def first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0]


_opened: list[str | None] = []  # the database files this command opened: a fault's message names them


def remember_opened(file: str | None) -> None:
    _opened.append(file)


def opened_database() -> str | None:
    return _opened[-1] if _opened else None


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def local_today(config: AppConfig) -> dt.date:
    """Today in the schedule's zone (where the courts and partners are), not the server's UTC date."""
    return dt.datetime.now(ZoneInfo(config.schedule.timezone)).date()


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r}: expected a date like 2026-11-27", code=2)
        return None


def check_courts(config: AppConfig, courts: list[str] | None) -> list[str]:
    """The --court ids given (none: []), each one the config names; exit 2 naming a wrong one."""
    for court_id in courts or []:
        try:
            config.court(court_id)
        except ConfigError as exc:
            fail(str(exc), code=2)
    return list(courts or [])


def valid_week(period: str) -> bool:
    """'2026-W48' names a real ISO week (2026-W60 does not)."""
    if not re.fullmatch(r"\d{4}-W\d{2}", period):
        return False
    try:
        dt.date.fromisocalendar(int(period[:4]), int(period[6:]), 1)
    except ValueError:
        return False
    return True


def simulator_options(declared, args: list[str]) -> dict[str, object]:
    """A simulator's own switches from the rest of the command line, by its declared SimOptions."""
    by_flag = {o.flag: o for o in declared}
    known = ", ".join(f"{o.flag}{'' if o.type is bool else ' VALUE'} ({o.help})" for o in declared) or "none"
    options: dict[str, object] = {o.param: o.default for o in declared if o.default is not None}
    rest = list(args)
    while rest:
        flag, _, inline = rest.pop(0).partition("=")
        option = by_flag.get(flag)
        if option is None:
            raise ValueError(f"unknown option {flag!r}; this simulator's own: {known}")
        if option.type is bool:
            if inline:
                raise ValueError(f"{flag} is a switch: it takes no value")
            options[option.param] = True
            continue
        if not inline and not rest:
            raise ValueError(f"{flag} needs a value")
        value = inline or rest.pop(0)
        try:
            options[option.param] = option.type(value)
        except ValueError:
            wanted = {int: "a whole number", float: "a number"}.get(option.type, "a value")
            raise ValueError(f"{flag} takes {wanted}, got {value!r}") from None
    return options
