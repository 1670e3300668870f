"""The court-adapter Protocols and the value types an adapter is given and returns.

The registry of adapters by name is `scraper.courts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from scraper.http_governor import HostGovernor
from scraper.records import CaseRecord, RawPage
from scraper.retention import HasRetentionLaw
from scraper.vocabulary import Vocabulary


@dataclass(frozen=True)
class ScrapeSettings:
    user_agent: str
    timeout_s: float = 30.0
    max_layout_errors: int = 3
    browser_check: bool = True
    chromium_path: str = "/usr/bin/chromium"
    max_page_bytes: int = 2_000_000  # a bigger page, or a longer grid, is a layout error at once
    max_grid_rows: int = 500


PageSink = Callable[[RawPage], None]


@dataclass
class CourtSummary:
    """What one court's scrape did; the run summary and the run log read it."""

    court_id: str
    days_walked: int = 0
    empty_days: int = 0
    result_pages: int = 0
    detail_pages: int = 0
    eviction_rows: int = 0
    other_rows: int = 0
    cases_yielded: int = 0
    bad_case_numbers: int = 0
    layout_errors: list[str] = field(default_factory=list)
    unknown_fields: dict[str, int] = field(default_factory=dict)
    session_renewals: int = 0
    browser_checks: int = 0
    skipped_known: int = 0  # listed, already stored and not due: not opened
    rechecked: int = 0  # opened by number, not found on the walked dates
    # Asked for by number, and the portal answered that it has no such case (its own "no
    # results" or "not a valid case number" page: never an error, a throttle or a layout change).
    not_found: list[str] = field(default_factory=list)
    # This court's own HTTP traffic (its sessions'), not the whole host's.
    requests: int = 0
    retries: int = 0
    throttled: int = 0

    @property
    def pages(self) -> int:
        return self.result_pages + self.detail_pages


@dataclass
class ScrapeContext:
    governor: HostGovernor
    settings: ScrapeSettings
    archive: PageSink
    progress: Callable[[str, int, int], None] = lambda what, done, total: None


@runtime_checkable
class CourtScraper(Protocol):
    summary: CourtSummary

    def cases(self, since: dt.date, until: dt.date, *, wanted: Callable[[str], bool] | None = None,
              also: Iterable[str] = ()) -> AsyncIterator[CaseRecord]:
        """Every eviction case with a hearing in [since, until], each once.

        `wanted(case_number)` False: listed but not opened (already stored, not due).
        `also`: case numbers to open even when not listed on those dates (re-checks).
        """
        ...

    async def case(self, case_number: str) -> CaseRecord | None: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class CourtSource(Protocol):
    """A court system (portal software) evictwatch can read; registered by `name`."""

    name: ClassVar[str]
    # An empty window is an error unless the source says it can happen (a tiny court).
    empty_window_expected: ClassVar[bool]
    timezone: ClassVar[str]  # the courts' usual time zone (IANA name); a court's config may differ
    # Its wording of case types, hearing results and judgments, mapped to the closed codes.
    vocabulary: ClassVar[Vocabulary]
    # Whose public holidays close its courts: (country, subdivision) as the `holidays` library names them.
    holiday_region: ClassVar[tuple[str, str | None]]
    # Older names of a court's `code` in config.yaml that this court system still reads (Virginia: fips).
    code_aliases: ClassVar[tuple[str, ...]]

    def check_code(self, code: str) -> str:
        """A court's portal code as written in config, checked (and tidied): ValueError says what
        this court system wants there."""
        ...

    def is_case_number(self, text: str) -> bool:
        """Whether this portal could know `text` (upper-cased, no spaces) as a case number: a
        partner's watched number is looked up only on the portals where it fits."""
        ...

    def scraper(self, court: Court, ctx: ScrapeContext) -> CourtScraper: ...

    def parse_case_page(self, html: str, url: str, court_id: str | None) -> CaseRecord: ...


# Optional capabilities: callers check with isinstance() and say plainly when a source lacks one.


@runtime_checkable
class DescribesPages(Protocol):
    def describe_page(self, html: str, url: str) -> dict[str, Any]:
        """A saved page as plain data (kind + what was read), for the golden-page test."""
        ...


@runtime_checkable
class ListsCourts(Protocol):
    """A portal that lists the courts it serves: a court entry with `all: true` scrapes each of them."""

    async def listed_courts(self, court: Court, ctx: ScrapeContext) -> list[Any]:
        """Every court the portal at `court.base_url` lists, in its order: objects with `code` and `name`."""
        ...


ADDRESS_PARTS = frozenset({"street", "unit", "city", "state", "zip5"})


@runtime_checkable
class StatesOutreachFacts(Protocol):
    """What a court system's law and portal mean for a partner's list (a source without it: no
    set-aside window is known, and any address part may be published)."""

    # Days after a default judgment in which the tenant may still have it set aside (None: not stated).
    default_set_aside_days: ClassVar[int | None]
    # The parts of a party's address (of ADDRESS_PARTS) its public pages give.
    party_address_parts: ClassVar[frozenset[str]]


@dataclass(frozen=True)
class Court:
    """One configured court with its court system's adapter, made once from the configuration
    (`evictwatch.courts`) and taken whole by everything downstream: the adapter's scraper, the
    store, the pipeline and the messages read what they need of it, never loose fields."""

    id: str
    adapter: CourtSource
    code: str  # the portal's court code (Virginia: FIPS; Odyssey: a location label, may be empty)
    base_url: str
    name: str = ""  # how lists and the report name it; "" means its id
    lookup_url: str = ""  # where people look a case up; "" means base_url
    timezone: str = ""  # IANA name; "" means its court system's own
    rate_per_s: float = 1.0
    closed_days: tuple[dt.date, ...] = ()  # beyond its state's holidays

    @property
    def source(self) -> str:
        return self.adapter.name

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def portal(self) -> str:
        return self.lookup_url or self.base_url

    @property
    def zone(self) -> str:
        return self.timezone or self.adapter.timezone

    @property
    def vocabulary(self) -> Vocabulary:
        return self.adapter.vocabulary

    @property
    def law(self) -> HasRetentionLaw | None:
        """Its court system's retention law, where the adapter states one."""
        return self.adapter if isinstance(self.adapter, HasRetentionLaw) else None

    @property
    def set_aside_days(self) -> int | None:
        """Its court system's stated window for setting a default judgment aside (None: none stated)."""
        return self.adapter.default_set_aside_days if isinstance(self.adapter, StatesOutreachFacts) else None

    @property
    def publishes_streets(self) -> bool:
        return "street" in self.adapter.party_address_parts if isinstance(self.adapter, StatesOutreachFacts) else True

    def scraper(self, ctx: ScrapeContext) -> CourtScraper:
        return self.adapter.scraper(self, ctx)


@dataclass(frozen=True)
class SimOption:
    """A simulator switch of one court system, offered by `evictwatch sim SOURCE` as `flag`."""

    flag: str  # "--captcha"
    param: str  # its keyword to simulator(**options)
    type: type  # bool: a switch without a value; int, float or str: takes one
    help: str
    default: Any = None  # what `evictwatch sim` passes when the flag is not given (None: nothing)


@runtime_checkable
class HasSimulator(Protocol):
    # Beyond the options every simulator takes: seed, today, latency_ms, faults.
    simulator_options: ClassVar[tuple[SimOption, ...]]

    def simulator(self, **options: Any) -> Any:
        """The bundled simulator of this portal (an object whose start(host, port) serves it from a thread)."""
        ...
