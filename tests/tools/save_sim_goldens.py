"""Save pages of every kind from the bundled simulator as golden pages, with expected JSON
built from the simulator's ground truth (never from the parser under test).

    .venv/bin/python tests/tools/save_sim_goldens.py    # rewrites tests/golden/va-gdc/sim-*
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scraper.courts.va_gdc.sim import FaultSpec, SimConfig, Simulator  # noqa: E402
from scraper.records import CaseRecord  # noqa: E402

OUT = ROOT / "tests" / "golden" / "va-gdc"
TODAY = dt.date(2026, 11, 27)
SEED = 2
PAGE_URL = "https://portal.example.invalid/gdcourts/caseSearch.do"


def save(name: str, html: str, expected: dict) -> None:
    (OUT / f"sim-{name}.html").write_text(html, encoding="utf-8")
    (OUT / f"sim-{name}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("saved", name)


def detail_expectation(record: CaseRecord) -> dict:
    return {"kind": "case_detail", "case": record.model_dump(mode="json"), "unknown_fields": []}


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(follow_redirects=True, timeout=10)
        self.http.get(base + "landing.do")
        self.http.post(base + "landing.do", data={"accept": "Accept"})

    def search_form(self, day: dt.date) -> dict[str, str]:
        return {"formAction": "", "curentFipsCode": "510", "searchFipsCode": "510",
                "searchTerm": day.strftime("%m/%d/%Y"), "searchHearingTime": "", "searchCourtroom": "",
                "searchHearingType": "", "searchUnitNumber": ""}

    def day_pages(self, day: dt.date) -> list[str]:
        self.http.get(self.base + "caseSearch.do?fromSidebar=true&searchLanding=searchLanding&searchType=hearingDate"
                      "&searchDivision=V&searchFipsCode=510&curentFipsCode=510")
        pages = [self.http.post(self.base + "caseSearch.do", data={**self.search_form(day), "caseSearch": "Search"}).text]
        while 'name="caseInfoScrollForward"' in pages[-1]:
            pages.append(self.http.post(self.base + "caseSearch.do", data={
                **self.search_form(day), "caseInfoScrollForward": "Next", "unCheckedCases": ""}).text)
        return pages

    def detail(self, number: str) -> str:
        return self.http.get(self.base + f"caseSearch.do?formAction=caseDetails&displayCaseNumber={number}"
                             "&localFipsCode=510&clientSearchCounter=1").text


def result_expectation(sim: Simulator, day: dt.date, page_no: int, html: str, pages: int) -> dict:
    rows = sim.docket.hearing_rows("510", day)[20 * (page_no - 1): 20 * page_no]
    counters = dict(re.findall(r"displayCaseNumber=(GV\d{8}-\d{2})&amp;localFipsCode=510&amp;clientSearchCounter=(\d+)", html))
    return {"kind": "results", "rows": [
        {"case_number": case.case_number,
         "detail_url": f"https://portal.example.invalid/gdcourts/caseSearch.do?formAction=caseDetails"
                       f"&displayCaseNumber={case.case_number}&localFipsCode=510"
                       f"&clientSearchCounter={counters[case.case_number]}",
         "defendant": case.defendants[0].name if case.defendants else None,
         "plaintiff": case.plaintiffs[0].name if case.plaintiffs else None,
         "case_type": case.case_type,
         "hearing_time": hearing.time.strftime("%I:%M %p") if hearing.time else None}
        for case, hearing in rows], "has_next": page_no < pages, "bad_numbers": []}


def pick(records: list[CaseRecord], test) -> CaseRecord:
    return next(r for r in records if test(r))


def main() -> None:
    sim = Simulator(SimConfig(seed=SEED, today=TODAY))
    running = sim.start()
    base = running.base_url
    try:
        client = Client(base)
        day = dt.date(2026, 11, 24)
        pages = client.day_pages(day)
        assert len(pages) >= 2, "pick a busier day"
        save("results-first-page", pages[0], result_expectation(sim, day, 1, pages[0], len(pages)))
        save("results-last-page", pages[-1], result_expectation(sim, day, len(pages), pages[-1], len(pages)))
        save("no-results-sunday", client.day_pages(dt.date(2026, 11, 22))[0], {"kind": "no_results"})

        ud = sim.docket.truth("510", dt.date(2026, 1, 1), dt.date(2027, 1, 31))
        everything = sim.docket.truth("510", dt.date(2026, 1, 1), dt.date(2027, 1, 31), case_type=None)
        older = sim.docket.truth("510", dt.date(2023, 6, 1), dt.date(2023, 9, 1))
        choices = {
            "detail-writ-executed": pick(ud, lambda r: r.judgment and r.judgment.writ_executed_date),
            "detail-default-judgment-no-writ": pick(ud, lambda r: r.hearings and r.hearings[0].result == "Default Judgment"
                                                    and r.judgment and not r.judgment.writ_issued_date),
            "detail-continued-then-judgment": pick(ud, lambda r: len(r.hearings) > 1 and r.hearings[0].result == "Continued"
                                                   and r.judgment is not None),
            "detail-dismissed": pick(ud, lambda r: any(h.result == "Dismissed" for h in r.hearings)),
            "detail-non-suit": pick(ud, lambda r: any(h.result == "Non-suit" for h in r.hearings)),
            "detail-refiled-01": pick(ud, lambda r: r.case_number.endswith("-01")),
            "detail-pending-hearing": pick(ud, lambda r: r.hearings and r.hearings[-1].date > TODAY and r.judgment is None),
            "detail-appeal": pick(ud + everything, lambda r: r.appeal is not None),
            "detail-satisfied": pick(ud + everything, lambda r: r.judgment and r.judgment.satisfied),
            "detail-warrant-in-debt": pick(everything, lambda r: r.case_type == "Warrant In Debt" and r.judgment),
            "detail-older-writ-label": pick(older, lambda r: r.judgment and r.judgment.writ_issued_date),
        }
        for name, record in choices.items():
            save(name, client.detail(record.case_number), detail_expectation(record))

        save("invalid-case-number", client.http.post(base + "criminalCivilCaseSearch.do", data={
            "formAction": "submitCase", "searchFipsCode": "510", "searchDivision": "V", "searchType": "caseNumber",
            "displayCaseNumber": "GV2612-00", "localFipsCode": "510", "clientSearchCounter": "0"}).text,
            {"kind": "invalid_case_number"})
        save("terms", httpx.get(base + "landing.do", follow_redirects=True).text, {"kind": "terms"})

        sample = choices["detail-writ-executed"].case_number
        sim.set_faults(FaultSpec.parse("layout=hearing-title"))
        save("layout-hearing-title", client.detail(sample), {"kind": "case_detail", "error": {
            "type": "LayoutError", "field": "section 'Hearing Information'"}})
        sim.set_faults(FaultSpec.parse("layout=case-type-label"))
        save("layout-case-type-label", client.detail(sample), {"kind": "case_detail", "error": {
            "type": "LayoutError", "field": "Case Information label Case Type"}})
        sim.set_faults(FaultSpec.parse("layout=results-header"))
        save("layout-results-header", client.day_pages(day)[0], {"kind": "other"})
        sim.set_faults(FaultSpec())
    finally:
        running.stop()

    for variant, kind, options in (("verification-code", "verification_code", {"verification_code": True}),
                                   ("browser-check", "browser_check", {"browser_check": True})):
        other = Simulator(SimConfig(seed=SEED, today=TODAY, **options)).start()
        try:
            save(variant, httpx.get(other.base_url + "landing.do", follow_redirects=True).text, {"kind": kind})
        finally:
            other.stop()

    expiring = Simulator(SimConfig(seed=SEED, today=TODAY, session_max_requests=1))
    other = expiring.start()
    try:
        c = Client(other.base_url)  # accepting used the session's one request (the welcome page)
        save("session-expired", c.detail("GV26000001-00"), {"kind": "session_expired"})
    finally:
        other.stop()

    limited = Simulator(SimConfig(seed=SEED, today=TODAY, rate_limit_per_s=1))
    other = limited.start()
    try:
        c = Client(other.base_url)
        texts = [c.detail("GV26000001-00") for _ in range(5)]
        save("rate-limit", next(t for t in texts if "exceeded the rate limit" in t), {"kind": "rate_limited"})
    finally:
        other.stop()


if __name__ == "__main__":
    main()
