"""Virginia General District Court, Online Case Information System (civil division).

Facts the adapter follows: ../shared/domain/va-gdc.md. httpx only; a real browser is used
just to pass a JavaScript browser check when the portal puts one up.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scraper.base import CourtTarget, ScrapeContext
from scraper.courts.va_gdc.markup import PageKind
from scraper.courts.va_gdc.parse import describe_page, page_kind, parse_case_detail
from scraper.errors import UnexpectedPageError
from scraper.courts.va_gdc.scrape import GdcScraper
from scraper.records import CaseRecord


class VaGdcSource:
    name: ClassVar[str] = "va-gdc"
    empty_window_expected: ClassVar[bool] = False
    timezone: ClassVar[str] = "America/New_York"

    def scraper(self, target: CourtTarget, ctx: ScrapeContext) -> GdcScraper:
        return GdcScraper(target, ctx, empty_window_expected=self.empty_window_expected)

    def parse_case_page(self, html: str, url: str, court_id: str | None) -> CaseRecord:
        kind = page_kind(html)
        if kind not in (PageKind.DETAIL, PageKind.OTHER):
            raise UnexpectedPageError(url, "a case-detail page", kind.value.replace("_", " "))
        return parse_case_detail(html, url, court_id)

    def describe_page(self, html: str, url: str) -> dict[str, Any]:
        return describe_page(html, url)

    def simulator(self, **options: Any) -> Any:
        from scraper.courts.va_gdc.sim import FaultSpec, SimConfig, Simulator

        faults = options.pop("faults", "") or ""
        return Simulator(SimConfig(faults=FaultSpec.parse(faults), **options))

