"""Virginia General District Court, Online Case Information System (civil division).

Facts the adapter follows: docs/courts/va-gdc.md. httpx only; a real browser is used
just to pass a JavaScript browser check when the portal puts one up.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from scraper.base import Court, ScrapeContext, SimOption
from scraper.courts.va_gdc import retention
from scraper.courts.va_gdc.court_list import ListedCourt
from scraper.courts.va_gdc.markup import CASE_NUMBER_RE
from scraper.courts.va_gdc.parse import describe_page, parse_case_page
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import CaseRecord
from scraper.retention import Disposition, Erasure
from scraper.vocabulary import Vocabulary

if TYPE_CHECKING:
    from scraper.courts.va_gdc.scrape import GdcScraper

_FIPS = re.compile(r"\d{3}")


class VaGdcSource:
    name: ClassVar[str] = "va-gdc"
    empty_window_expected: ClassVar[bool] = False
    timezone: ClassVar[str] = "America/New_York"
    vocabulary: ClassVar[Vocabulary] = VOCABULARY
    holiday_region: ClassVar[tuple[str, str | None]] = ("US", "VA")
    code_aliases: ClassVar[tuple[str, ...]] = ("fips",)  # config.yaml's older name for a court's code
    # A default judgment stays open to a motion or an appeal this many days (the lists' long-standing 10).
    default_set_aside_days: ClassVar[int | None] = 10
    party_address_parts: ClassVar[frozenset[str]] = frozenset({"city", "state", "zip5"})  # no street (docs/courts/va-gdc.md)
    retention_law: ClassVar[str] = retention.LAW
    simulator_options: ClassVar[tuple[SimOption, ...]] = (
        SimOption("--browser-check", "browser_check", bool, "put up a JavaScript browser check"),
        SimOption("--verification-code", "verification_code", bool, "the terms page asks for a code"),
        SimOption("--rate-limit", "rate_limit_per_s", float, "requests/s per session before the limit page (0: none)",
                  default=5.0),
        SimOption("--whole-state", "whole_state", bool,
                  "list a whole state's ~130 courts (about 2,500 eviction filings a week) on the welcome page"),
        SimOption("--expunge-lag", "expunge_lag_days", int,
                  "days an expunged case stays listed and shown after the court expunged it (a slow portal)"),
    )

    def check_code(self, code: str) -> str:
        code = code.strip()
        if not _FIPS.fullmatch(code):
            raise ValueError("a va-gdc court is chosen by its three-digit FIPS code, such as 510 for "
                             "Alexandria or 013 for Arlington")
        return code

    def is_case_number(self, text: str) -> bool:
        return bool(CASE_NUMBER_RE.match(text))

    def erasure(self, case: Disposition) -> Erasure | None:
        return retention.erasure(case)

    def petition_eligible(self, case: Disposition) -> bool:
        return retention.petition_eligible(case)

    def scraper(self, court: Court, ctx: ScrapeContext) -> GdcScraper:
        # Its HTTP and browser layers (playwright: 0.2 s) load when a court is scraped, not
        # whenever the configuration looks its court system up.
        from scraper.courts.va_gdc.scrape import GdcScraper

        return GdcScraper(court, ctx, empty_window_expected=self.empty_window_expected)

    async def listed_courts(self, court: Court, ctx: ScrapeContext) -> list[ListedCourt]:
        """Every court the portal at `court.base_url` lists; `court.code` is not used."""
        scraper = self.scraper(court, ctx)
        try:
            return await scraper.listed_courts()
        finally:
            await scraper.aclose()

    def parse_case_page(self, html: str, url: str, court_id: str | None) -> CaseRecord:
        return parse_case_page(html, url, court_id)

    def describe_page(self, html: str, url: str) -> dict[str, Any]:
        return describe_page(html, url)

    def simulator(self, **options: Any) -> Any:
        from scraper.courts.va_gdc.sim import FaultSpec, SimConfig, Simulator  # served by a demo or a test only

        faults = options.pop("faults", "") or ""
        if options.get("rate_limit_per_s") == 0:
            options["rate_limit_per_s"] = None
        return Simulator(SimConfig(faults=FaultSpec.parse(faults), **options))

