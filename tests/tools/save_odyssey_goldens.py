"""Save pages of every kind from the bundled Odyssey simulator as golden pages, with expected
JSON built from the simulator's ground truth (never from the parser under test).

    .venv/bin/python tests/tools/save_odyssey_goldens.py   # rewrites tests/golden/tyler-odyssey/sim-*
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scraper.courts.tyler_odyssey.sim import pages  # noqa: E402
from scraper.courts.tyler_odyssey.sim.detail import detail_page  # noqa: E402
from scraper.courts.tyler_odyssey.sim.docket import Docket  # noqa: E402
from scraper.courts.tyler_odyssey.sim.model import CaseFacts  # noqa: E402

OUT = ROOT / "tests" / "golden" / "tyler-odyssey"
TODAY = dt.date(2026, 11, 27)
URL = "https://portal.example.invalid/JPPublicAccess/CaseDetail.aspx?CaseID=1"


def save(name: str, html: str, expected: dict) -> None:
    (OUT / f"sim-{name}.html").write_text(html, encoding="utf-8")
    (OUT / f"sim-{name}.json").write_text(json.dumps({"url": URL, **expected}, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    print("saved", name)


def detail(name: str, case: CaseFacts, docket: Docket) -> None:
    record = case.as_of(docket.today)
    save(name, detail_page(case, docket.today, "none"),
         {"kind": "case_detail", "case": record.model_dump(mode="json"), "unknown_fields": []})


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    docket = Docket(4, TODAY)
    cases = [c for c in docket.year(2026) if c.filed <= TODAY and c.case_type == "Eviction"]

    def first(test, what: str) -> CaseFacts:
        return next(c for c in reversed(cases) if test(c)) if any(test(c) for c in cases) else sys.exit(what)

    names = lambda c: {e.name for e in c.events_as_of(TODAY)}  # noqa: E731
    detail("detail-writ-served", first(lambda c: "Writ" in names(c), "no served writ"), docket)
    detail("detail-default-judgment", first(lambda c: (d := c.disposition_as_of(TODAY)) is not None
                                            and d.name == "Default Judgment" and "Writ" not in names(c), "default"), docket)
    detail("detail-appeal", first(lambda c: "Appealed to County Court" in names(c), "no appeal"), docket)
    detail("detail-reset-twice", first(lambda c: len(c.settings_as_of(TODAY)) >= 2, "no reset"), docket)
    detail("detail-upcoming-hearing", first(lambda c: c.disposition_as_of(TODAY) is None, "no pending case"), docket)
    detail("detail-dismissed", first(lambda c: (d := c.disposition_as_of(TODAY)) is not None
                                     and d.name in ("Dismissed", "Non-Suit"), "no dismissal"), docket)
    detail("detail-judgment-for-defendant", first(lambda c: (d := c.disposition_as_of(TODAY)) is not None
                                                  and d.name == "Judgment for Defendant", "none for defendant"), docket)
    detail("detail-no-financial", first(lambda c: c.assessment is None, "no case without money"), docket)
    detail("detail-party-without-address", first(lambda c: any(not p.address_lines for p in c.defendants),
                                                 "every party has an address"), docket)
    case = cases[-1]
    for layout, field in (("party-title", "Party Information section"), ("case-number", "Case No.")):
        save(f"detail-layout-{layout}", detail_page(case, TODAY, layout),
             {"kind": "case_detail", "error": {"type": "LayoutError", "field": field}})
    since, until = dt.date(2026, 11, 30), dt.date(2026, 12, 2)
    rows = docket.calendar(since, until, frozenset({3}))
    save("calendar-results", pages.calendar_results(rows, False, since, until, "none"),
         {"kind": "results", "record_count": len(rows), "capped": False,
          "rows": [{"case_number": c.case_number, "href": f"CaseDetail.aspx?CaseID={c.case_id}",
                    "case_type": c.case_type, "hearing_date": s.date.isoformat()} for c, s in rows]})
    save("calendar-too-many", pages.calendar_results(rows, True, since, until, "none"),
         {"kind": "results", "record_count": 0, "capped": True, "rows": []})
    save("calendar-results-header-changed", pages.calendar_results(rows, False, since, until, "results-header"),
         {"kind": "results", "error": {"type": "LayoutError", "field": "results header (th.ssSearchResultHeader)"}})
    found = docket.matching("J2-CV-26*", dt.date(2026, 11, 2), dt.date(2026, 11, 4), frozenset({2}))
    save("case-search-results", pages.case_results(found, TODAY, False, "Search By: Case", "none"),
         {"kind": "results", "record_count": len(found), "capped": False,
          "rows": [{"case_number": c.case_number, "href": f"CaseDetail.aspx?CaseID={c.case_id}",
                    "case_type": c.case_type, "hearing_date": None} for c in found]})
    save("no-results", pages.no_results("Court Calendar", "Search By: Date Range"),
         {"kind": "no_results", "record_count": 0, "capped": False, "rows": []})
    save("captcha", pages.captcha_page(), {"kind": "captcha"})
    save("session-expired", pages.error_page(), {"kind": "expired"})
    save("menu", pages.default_page("All Courts"), {"kind": "menu"})
    save("calendar-search-form", pages.search_page("calendar", "Precinct Two", "dDwtMTA4", "wEWAgK", "9f86d081"),
         {"kind": "search_form"})


if __name__ == "__main__":
    main()
