"""config.yaml: loaded once, validated with pydantic, errors that name file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from evictwatch.config_checks import (  # noqa: F401  (ConfigError: part of this module's API)
    ConfigError,
    Section,
    header_address,
    missing_overrides,
    plain_addresses,
    smtp_problems,
    zone_name,
)
from evictwatch.config_courts import CourtConfig  # noqa: F401  (part of this module's API)
from evictwatch.config_distributed import DistributedConfig
from evictwatch.config_file import (
    UniqueKeyLoader,
    config_text,
    describe_error,
    key_path,
)
from evictwatch.config_letters import LettersConfig
from evictwatch.config_partners import PartnerConfig, PartnerFilters  # noqa: F401  (part of this module's API)
from evictwatch.config_web import WebConfig
from evictwatch.steps import JOBS
from scraper.ratelimit import DEFAULT_WINDOW_MARGIN_S, SpacingRateLimiter, host_of

DEFAULT_DB_URL = "sqlite:///data/evictwatch.db"
DISTRIBUTED_WINDOW_MARGIN_MS = 50.0


class DatabaseConfig(Section):
    url: str = DEFAULT_DB_URL


class WindowConfig(Section):
    look_back_days: int = Field(default=70, ge=0, le=3650)
    look_ahead_days: int = Field(default=70, ge=0, le=365)


class HttpConfig(Section):
    user_agent: str
    max_concurrency_per_host: int = Field(default=4, ge=1, le=10)
    timeout_s: float = Field(default=30.0, gt=0)
    max_attempts: int = Field(default=5, ge=1, le=20)
    throttle_wait_s: float = Field(default=10.0, ge=0)
    # The rate limit holds in every window of 1 s and this much more (see scraper/ratelimit.py).
    window_margin_ms: float = Field(default=DEFAULT_WINDOW_MARGIN_S * 1000, ge=0, lt=1000)

    @field_validator("user_agent")
    @classmethod
    def _has_contact(cls, value: str) -> str:
        if "@" not in value and "http" not in value:
            raise ValueError(
                "must carry a contact address (an e-mail or a URL) so the court can reach the operator"
            )
        return value


class ScrapeConfig(Section):
    window: WindowConfig = WindowConfig()
    max_layout_errors: int = Field(default=3, ge=1)
    browser_check: bool = Field(
        default=True,
        description="when the portal shows a JavaScript browser check, pass it with the system Chromium",
    )
    chromium_path: str = "/usr/bin/chromium"
    max_page_bytes: int = Field(default=2_000_000, ge=100_000, description="a bigger page is a layout error")
    max_grid_rows: int = Field(default=500, ge=20, description="a longer grid on a page is a layout error")
    daily_budget_share: float = Field(default=0.25, gt=0, le=1, description="of the requests a host's rate "
                                      "allows in a day, the share a day's runs may use, the most urgent work first")
    cold_start_share: float = Field(default=0.5, gt=0, le=1, description="the share while a court on the host "
                                    "has its first look-back still to finish")


class RecheckConfig(Section):
    recent_days: int = Field(default=14, ge=0, le=365)
    upcoming_days: int = Field(default=14, ge=0, le=365)
    judgment_days: int = Field(default=30, ge=0, le=365)
    writ_days: int = Field(default=60, ge=0, le=365)
    appeal_days: int = Field(default=10, ge=0, le=365)
    satisfaction_days: int = Field(default=180, ge=0, le=3650)


class PipelineConfig(Section):
    landlord_overrides: str = Field(
        default="landlords.yaml",
        description="staff-edited merges/splits of landlord names; relative to the config file",
    )
    landlord_match_threshold: float = Field(default=90.0, ge=50, le=100)
    recheck: RecheckConfig = RecheckConfig()


class SmtpConfig(Section):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    # Secrets only from the environment: the config names the variable, never the password.
    password_env: str = Field(default="EVICTWATCH_SMTP_PASSWORD", pattern=r"^[A-Z_][A-Z0-9_]*$")
    timeout_s: float = Field(default=30.0, gt=0)
    ca_file: str | None = Field(default=None, description="trust this CA (an internal relay's); default: system CAs")


class NotifyConfig(Section):
    transport: Literal["outbox", "smtp"] = "outbox"
    outbox: str = Field(default="outbox", description="folder for .eml files, relative to the config file")
    sender: str = "evictwatch <evictwatch@localhost>"
    reply_to: str | None = None
    operators: list[str] = Field(default_factory=list)
    alert_lookback_days: int = Field(default=7, ge=1, le=60, description="writs and default judgments this recent alert")
    incomplete_wait_hours: int = Field(default=24, ge=0, le=168,
                                       description="how long a weekly list waits for a court whose scrape failed")
    smtp: SmtpConfig | None = None

    @field_validator("operators")
    @classmethod
    def _operator_addresses(cls, values: list[str]) -> list[str]:
        return plain_addresses(values)

    @field_validator("sender", "reply_to")
    @classmethod
    def _header_addresses(cls, value: str | None, info) -> str | None:
        return header_address(value, info.field_name)

    @model_validator(mode="after")
    def _smtp_when_used(self) -> "NotifyConfig":
        if self.transport == "smtp" and self.smtp is None:
            raise ValueError("transport is smtp but there is no smtp: section (host, port, security, username)")
        return self


class ReportsConfig(Section):
    folder: str = Field(default="data/reports", description="the report archive, relative to the config file")
    dockets_folder: str = Field(default="data/dockets", description="hearing-day docket sheets, relative to the config file")
    stale_after_days: int = Field(default=3, ge=0, le=60, description="warn when a court's data is older")


class ScheduleConfig(Section):
    """Cron lines (minute hour day month weekday) for `evictwatch scheduler`, in `timezone`."""

    timezone: str = "America/New_York"
    scrape: str = "0 6 * * *"         # a full cycle: scrape, then the lists, report and alerts that are due
    weekly: str = "0 7 * * mon"       # the partners' weekly lists and the report, when due
    alerts: str = "0 8-18 * * mon-fri"
    docket: str = "0 * * * *"         # hourly: the next court day's docket sheet to each partner once its docket_time has come
    misfire_grace_s: int = Field(default=3600, ge=1)
    shutdown_grace_s: int = Field(default=120, ge=0, description="wait this long for a running job on SIGTERM")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return zone_name(value)

    @field_validator(*JOBS)  # a job of the table without its cron line here fails at import
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import (
            CronTrigger,  # 0.12 s: when a configuration is checked, not at --help
        )

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a cron line (minute hour day month weekday): {exc}") from None
        fields = value.split()
        # The scheduler (APScheduler) and the workers (cron's rules) read these differently: a
        # weekday number (0 is Monday to one, Sunday to the other), and a day with a weekday
        # (both must match, or either). Names and one of the two mean the same to both.
        if any(c.isdigit() for c in fields[4]):
            raise ValueError(f"{value!r}: name the weekdays (mon-fri, sun), not numbers")
        if fields[2] != "*" and fields[4] != "*":
            raise ValueError(f"{value!r}: give a day of the month or a weekday, not both")
        return value


class AlarmsConfig(Section):
    failed_runs: int = Field(default=2, ge=1, description="a court failing this many scrapes in a row")
    parse_error_rate: float = Field(default=0.05, gt=0, le=1, description="unreadable share of pages")
    max_age_hours: float = Field(default=36, gt=0, description="no successful scrape for longer than this")
    drift_weeks: int = Field(default=8, ge=2, le=52, description="history the new-filings expectation uses")
    drift_probability: float = Field(default=0.01, gt=0, lt=1, description="how unlikely zero must be")


class RetentionConfig(Section):
    closed_case_days: int = Field(default=365, ge=30, description="tenant data of cases closed this long is removed")
    outbox_days: int = Field(default=90, ge=7, description=".eml files older than this are deleted")
    vanish_check_days: int = Field(default=28, ge=1, le=365, description="a closed case still holding tenants' data "
                                   "is looked up by number this often: one the court no longer has is erased")


class AppConfig(Section):
    # embedded: one process (`run`, `scheduler`), SQLite or PostgreSQL; distributed: `evictwatch
    # worker` processes on several machines sharing one PostgreSQL (see README).
    run_mode: Literal["embedded", "distributed"] = "embedded"
    database: DatabaseConfig = DatabaseConfig()
    distributed: DistributedConfig = DistributedConfig()
    web: WebConfig = WebConfig()
    http: HttpConfig
    scrape: ScrapeConfig = ScrapeConfig()
    pipeline: PipelineConfig = PipelineConfig()
    notify: NotifyConfig = NotifyConfig()
    reports: ReportsConfig = ReportsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    alarms: AlarmsConfig = AlarmsConfig()
    retention: RetentionConfig = RetentionConfig()
    partners: list[PartnerConfig] = Field(default_factory=list)
    courts: list[CourtConfig] = Field(min_length=1)
    _folder: Path = PrivateAttr(default_factory=Path.cwd)
    _entries: list[CourtConfig] | None = PrivateAttr(default=None)  # `courts` as written, once expanded

    def court_entries(self) -> list[CourtConfig]:
        """The court entries as config.yaml has them (an `all: true` entry not expanded)."""
        return self._entries if self._entries is not None else self.courts

    def use_listed_courts(self, listed: Callable[[str], list[tuple[str, str]]]) -> None:
        """Expand each `all: true` entry into the courts its portal lists (`listed(entry id)`:
        code, name pairs as last stored), in place: whatever holds this configuration sees them.
        A court also configured on its own (the same host and code) keeps its own entry."""
        entries = self.court_entries()
        if not any(entry.every_listed for entry in entries):
            return
        # A court is scraped once: its own entry first, else the first `all: true` entry listing
        # it; a listed court whose id an entry of its own already has is left out too.
        taken = {(host_of(c.base_url), c.code) for c in entries if not c.every_listed}
        ids = {c.id for c in entries}
        courts: list[CourtConfig] = [c for c in entries if not c.every_listed]
        for entry in (e for e in entries if e.every_listed):
            host = host_of(entry.base_url)
            for code, name in listed(entry.id):
                court = entry.listed_court(code, name)
                if (host, code) in taken or court.id in ids:
                    continue
                taken.add((host, code))
                ids.add(court.id)
                courts.append(court)
        self._entries = entries
        self.courts = courts

    def overrides_path(self) -> Path:
        """The landlord overrides file, relative to the configuration file's folder."""
        return self._folder / self.pipeline.landlord_overrides

    @model_validator(mode="after")
    def _distributed_margin(self) -> "AppConfig":
        # A worker scrapes several courts at once: a request's start is recorded as it leaves,
        # but the interpreter's other threads and the server's own lag still come between the
        # record and the court's log of it (up to ~28 ms on a loaded 2-core machine, measured
        # in bench/README.md): twice that, unless the config says otherwise.
        if self.run_mode == "distributed" and "window_margin_ms" not in self.http.model_fields_set:
            self.http.window_margin_ms = DISTRIBUTED_WINDOW_MARGIN_MS
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> "AppConfig":
        seen: set[str] = set()
        for court in self.courts:
            if court.id in seen:
                raise ValueError(f"court id {court.id!r} appears twice")
            seen.add(court.id)
        names = [p.name for p in self.partners]
        if len(set(names)) != len(names):
            raise ValueError("two partners share a name; names key their delivery log")
        entries = [court for court in self.courts if court.every_listed]

        def known(court_id: str) -> bool:
            if any(entry.id == court_id for entry in entries):
                return False  # an `all: true` entry stands for its courts, and no case is its own
            return court_id in seen or any(entry.lists(court_id) for entry in entries)

        for partner in self.partners:
            unknown = [c for c in partner.filters.courts if not known(c)]
            if unknown:
                raise ValueError(f"partner {partner.name!r} filters on unknown courts {unknown}")
            unknown = [c for c in (partner.letters.court_addresses if partner.letters else {}) if not known(c)]
            if unknown:
                raise ValueError(f"partner {partner.name!r}: letters.court_addresses names unknown courts {unknown}")
        return self

    def outbox_path(self) -> Path:
        return self._folder / self.notify.outbox

    def dry_run_path(self) -> Path:
        """Where --dry-run writes: beside the outbox, never in it."""
        outbox = self.outbox_path()
        return outbox.parent / f"{outbox.name}-dry-run"

    def reports_path(self) -> Path:
        return self._folder / self.reports.folder

    def dockets_path(self) -> Path:
        return self._folder / self.reports.dockets_folder

    def partner_letters_path(self, partner: PartnerConfig) -> Path:
        """Where a partner's letters go: its letters.folder, one folder a partner."""
        folder = partner.letters.folder if partner.letters else LettersConfig().folder
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in partner.name)
        return self._folder / folder / safe

    def partner_calendar_path(self, partner: PartnerConfig) -> Path:
        """Where a partner's feed goes: its calendar_file, else data/calendars/<name>.ics."""
        if partner.calendar_file:
            return self._folder / partner.calendar_file
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in partner.name)
        return self._folder / "data" / "calendars" / f"{safe}.ics"

    def court(self, court_id: str) -> CourtConfig:
        for court in self.courts:
            if court.id == court_id:
                return court
        known = ", ".join(c.id for c in self.courts)
        raise ConfigError(f"no court with id {court_id!r} in the configuration (known: {known})")

    def host_rates(self) -> dict[str, float]:
        """Per host, the lowest rate of any court entry on it: the politeness limit is the host's."""
        return SpacingRateLimiter.rates_from((c.base_url, c.rate_limit_per_s) for c in self.courts)


class ScrapeWindow(BaseModel):
    since: dt.date
    until: dt.date

    def days(self) -> list[dt.date]:
        count = (self.until - self.since).days + 1
        return [self.since + dt.timedelta(days=i) for i in range(count)]


def scrape_window(
    config: AppConfig, today: dt.date, since: dt.date | None = None, until: dt.date | None = None
) -> ScrapeWindow:
    win = config.scrape.window
    start = since or today - dt.timedelta(days=win.look_back_days)
    end = until or today + dt.timedelta(days=win.look_ahead_days)
    if end < start:
        raise ConfigError(f"--until {end} is before --since {start}")
    return ScrapeWindow(since=start, until=end)


def load_config(path: Path) -> AppConfig:
    try:
        text = config_text(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found (pass --config PATH)") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a configuration file") from None
    try:
        raw = yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    config = parse_config(raw, str(path))
    config._folder = path.resolve().parent
    configured = "landlord_overrides" in config.pipeline.model_fields_set
    _refuse(str(path), missing_overrides(config.overrides_path(), configured))
    return config


def parse_config(raw: Any, origin: str) -> AppConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping with at least `courts:` and `http:`")
    try:
        config = AppConfig.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{origin}: invalid configuration:"]
        for err in exc.errors():
            lines.append(f"  {key_path(err['loc'])}: {describe_error(err)}")
        raise ConfigError("\n".join(lines)) from None
    smtp = config.notify.smtp
    if smtp is not None:
        _refuse(origin, smtp_problems(smtp.username, smtp.security, smtp.ca_file))
    return config


def _refuse(origin: str, problems: list[str]) -> None:
    """Problems of the whole configuration (each names its keys): one a line."""
    if len(problems) == 1:
        raise ConfigError(f"{origin}: {problems[0]}")
    if problems:
        raise ConfigError("\n  ".join([f"{origin}: invalid configuration:", *problems]))
