"""Tyler Technologies Odyssey Public Access portals (Texas JP courts and many county courts).

Facts the adapter follows: docs/courts/tyler-odyssey.md. A JavaScript WebForms site: the
searches are driven in the system Chromium through Playwright (scrape.py); the pages are read
with lxml (parse.py, register.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from scraper.base import Court, ScrapeContext, SimOption
from scraper.courts.tyler_odyssey.parse import (
    PageKind,
    is_case_number,
    page_kind,
    parse_results,
)
from scraper.courts.tyler_odyssey.register import parse_register
from scraper.courts.tyler_odyssey.vocab import VOCABULARY
from scraper.errors import LayoutError, TruncatedPageError, UnexpectedPageError
from scraper.records import CaseRecord
from scraper.vocabulary import Vocabulary

if TYPE_CHECKING:
    from scraper.courts.tyler_odyssey.scrape import OdysseyScraper


class TylerOdysseySource:
    name: ClassVar[str] = "tyler-odyssey"
    empty_window_expected: ClassVar[bool] = False
    timezone: ClassVar[str] = "America/Chicago"  # Texas; a court elsewhere sets courts[].timezone
    vocabulary: ClassVar[Vocabulary] = VOCABULARY
    holiday_region: ClassVar[tuple[str, str | None]] = ("US", "TX")  # a court in another state: closed_days
    code_aliases: ClassVar[tuple[str, ...]] = ()
    # docs/courts/tyler-odyssey.md states no window for setting a default judgment aside: none is claimed, so a list
    # never marks one as still open here (a person who knows the rule declares it).
    default_set_aside_days: ClassVar[int | None] = None
    party_address_parts: ClassVar[frozenset[str]] = frozenset({"street", "unit", "city", "state", "zip5"})
    simulator_options: ClassVar[tuple[SimOption, ...]] = (
        SimOption("--captcha", "captcha", bool, "put a CAPTCHA in front of the search pages"),
        SimOption("--cap", "result_cap", int, "most matches a search lists before 'too many matches'",
                  default=200),
        SimOption("--party-layout", "party_layout", str,
                  "how the county lays out Party Information: attorneys | lead-attorneys", default="attorneys"),
        SimOption("--street-addresses", "street_addresses", bool,
                  "publish tenants' street addresses, as some counties do (9 in 10 tenants)"),
    )

    def check_code(self, code: str) -> str:
        """The location label chosen on the search menu (empty: the portal's default location)."""
        code = " ".join(code.split())
        if len(code) > 100:
            raise ValueError("an Odyssey location label is at most 100 characters")
        return code

    def is_case_number(self, text: str) -> bool:
        return is_case_number(text)

    def scraper(self, court: Court, ctx: ScrapeContext) -> OdysseyScraper:
        # Its HTTP and browser layers (playwright: 0.2 s) load when a court is scraped, not
        # whenever the configuration looks its court system up.
        from scraper.courts.tyler_odyssey.scrape import OdysseyScraper

        return OdysseyScraper(court, ctx, empty_window_expected=self.empty_window_expected)

    def parse_case_page(self, html: str, url: str, court_id: str | None) -> CaseRecord:
        kind = page_kind(html)
        if kind not in (PageKind.DETAIL, PageKind.OTHER):
            raise UnexpectedPageError(url, "a register of actions", kind.value.replace("_", " "))
        return parse_register(html, url, court_id)

    def describe_page(self, html: str, url: str) -> dict[str, Any]:
        """A saved page as plain data, for the golden-page test."""
        kind = page_kind(html)
        out: dict[str, Any] = {"kind": kind.value}
        try:
            if kind is PageKind.DETAIL:
                record = parse_register(html, url)
                out["case"] = record.model_dump(mode="json")
                out["unknown_fields"] = sorted(record.unknown_fields)
            elif kind in (PageKind.RESULTS, PageKind.NO_RESULTS):
                results = parse_results(html, url)
                out["record_count"], out["capped"] = results.record_count, results.capped
                out["rows"] = [{"case_number": r.case_number, "href": r.href, "case_type": r.case_type,
                                "hearing_date": r.hearing_date.isoformat() if r.hearing_date else None}
                               for r in results.rows]
        except (LayoutError, TruncatedPageError) as exc:
            out["error"] = {"type": type(exc).__name__, "field": getattr(exc, "field", None)}
        return out

    def simulator(self, **options: Any) -> Any:
        from scraper.courts.tyler_odyssey.sim import FaultSpec, SimConfig, Simulator  # served by a demo or a test only

        faults = options.pop("faults", "") or ""
        return Simulator(SimConfig(faults=FaultSpec.parse(faults), **options))
