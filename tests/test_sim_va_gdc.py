"""The Virginia GDC portal simulator: deterministic dockets, the page flow, the gate, faults.

Everything runs on 127.0.0.1. Markup is read here with BeautifulSoup directly (not through the
adapter's parser) so the simulator is checked against the domain brief on its own.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from scraper.browser import CHROMIUM_ARGS
from scraper.courts.va_gdc.sim import FaultSpec, RunningSimulator, SimConfig, Simulator, lifecycle
from scraper.courts.va_gdc.sim.docket import Docket
from scraper.courts.va_gdc.sim.names import BIG_LANDLORDS, COURTS, court_landlords
from scraper.records import CaseRecord

TODAY = dt.date(2026, 11, 27)
UD = "Unlawful Detainer"
SECTIONS = ("Case Information", "Plaintiff Information", "Defendant Information", "Hearing Information",
            "Service/Process", "Reports", "Judgment Information", "Garnishment Information", "Appeal Information")
HEARING_SEARCH = ("caseSearch.do?fromSidebar=true&searchLanding=searchLanding&searchType=hearingDate"
                  "&searchDivision=V&searchFipsCode=510&curentFipsCode=510")
NUMBER_RE = re.compile(r"^GV\d{8}-\d{2}$")
CHROMIUM = "/usr/bin/chromium"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def search_fields(day: dt.date, fips: str = "510") -> dict[str, str]:
    return {"formAction": "", "curentFipsCode": fips, "searchFipsCode": fips, "searchTerm": day.strftime("%m/%d/%Y"),
            "searchHearingTime": "", "searchCourtroom": "", "searchHearingType": "", "searchUnitNumber": ""}


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


@contextlib.contextmanager
def accepted_client(running: RunningSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.base_url, timeout=10) as client:
        client.get("landing.do")
        assert client.post("landing.do", data={"accept": "Accept"}).status_code == 302
        yield client


@pytest.fixture(scope="module")
def year_docket() -> Docket:
    """Alexandria with all of 2026 in the past, for whole-year statistics."""
    return Docket(seed=1, today=dt.date(2027, 6, 30))


@pytest.fixture(scope="module")
def filings_2026(year_docket: Docket) -> list[CaseRecord]:
    return year_docket.filings("510", dt.date(2026, 1, 1), dt.date(2026, 12, 31), expunged=True)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    yield Simulator(SimConfig(seed=1, today=TODAY))


@pytest.fixture(scope="module")
def running(sim: Simulator) -> Iterator[RunningSimulator]:
    handle = sim.start()
    yield handle
    handle.stop()


@pytest.fixture
def client(running: RunningSimulator) -> Iterator[httpx.Client]:
    with accepted_client(running) as c:
        yield c


def start(**config: object) -> tuple[Simulator, RunningSimulator]:
    simulator = Simulator(SimConfig(seed=1, today=TODAY, **config))  # type: ignore[arg-type]
    return simulator, simulator.start()


# --- the docket ----------------------------------------------------------------------------------


def _fingerprint(docket: Docket, fips: str) -> str:
    records = docket.filings(fips, dt.date(2026, 1, 1), dt.date(2026, 12, 31), expunged=True)
    return hashlib.sha256("\n".join(r.content_json() for r in records).encode()).hexdigest()


def test_same_seed_same_docket_and_other_seed_differs() -> None:
    first = _fingerprint(Docket(1, TODAY), "013")
    assert first == _fingerprint(Docket(1, TODAY), "013")
    assert first != _fingerprint(Docket(2, TODAY), "013")
    code = ("import datetime as dt, hashlib; from scraper.courts.va_gdc.sim.docket import Docket; "
            "d = Docket(1, dt.date(2026, 11, 27)); "
            "r = d.filings('013', dt.date(2026, 1, 1), dt.date(2026, 12, 31), expunged=True); "
            "print(hashlib.sha256(chr(10).join(x.content_json() for x in r).encode()).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": "", "PYTHONPATH": os.environ["PYTHONPATH"]})
    assert other.stdout.strip() == first


def test_today_only_decides_visibility() -> None:
    early, late = Docket(1, dt.date(2026, 3, 1)), Docket(1, dt.date(2027, 3, 1))
    number = early.filings("510", dt.date(2026, 2, 2), dt.date(2026, 2, 2), expunged=True)[0].case_number
    assert early.case("510", number).filed_date == late.case("510", number).filed_date
    assert early.case("510", number).hearings[0].date == late.case("510", number).hearings[0].date
    in_june = late.filings("510", dt.date(2026, 6, 1), dt.date(2026, 6, 1), expunged=True)[0].case_number
    assert early.case("510", in_june) is None  # not filed yet in March
    assert early.case("999", number) is None and early.case("510", "GV26-1") is None


def test_volume_and_ud_share(filings_2026: list[CaseRecord]) -> None:
    originals = [r for r in filings_2026 if r.case_number.endswith("-00")]
    ud = [r for r in originals if r.case_type == UD]
    assert 52 <= len(ud) / (365 / 7) <= 78
    assert 0.50 <= len(ud) / len(originals) <= 0.60
    assert {r.case_type for r in originals} == {UD, "Warrant In Debt", "Detinue"}
    sequence = sorted(int(r.case_number[4:10]) for r in originals)
    assert sequence == list(range(1, len(originals) + 1))  # one sequence shared by all civil types
    assert all(r.filed_date.weekday() < 5 for r in filings_2026)


def test_return_hearing_two_to_five_weeks_after_filing(filings_2026: list[CaseRecord]) -> None:
    for record in filings_2026:
        first = record.hearings[0]
        assert 14 <= (first.date - record.filed_date).days <= 35, record.case_number
        assert first.type == "Return"
        assert all(h.date.weekday() < 5 and h.time is not None for h in record.hearings)
        assert [h.date for h in record.hearings] == sorted(h.date for h in record.hearings)


def test_outcomes_occur_in_realistic_proportions(filings_2026: list[CaseRecord]) -> None:
    ud = [r for r in filings_2026 if r.case_type == UD and r.case_number.endswith("-00")]
    results = collections.Counter(h.result for r in ud for h in r.hearings)
    assert {"Continued", "Default Judgment", "Judgment", "Dismissed", "Non-suit", "Other"} <= set(results)
    first_default = sum(r.hearings[0].result == "Default Judgment" for r in ud) / len(ud)
    assert 0.38 <= first_default <= 0.52
    possession = [r for r in ud if r.judgment and r.judgment.possession]
    issued = [r for r in possession if r.judgment.writ_issued_date]
    executed = [r for r in issued if r.judgment.writ_executed_date]
    assert 0.30 <= len(issued) / len(possession) <= 0.50
    assert 0.08 <= len(executed) / len(ud) <= 0.18  # ≈ 1 in 8 filings ends in a removal
    for r in issued:
        assert 11 <= (r.judgment.writ_issued_date - r.hearings[-1].date).days or r.hearings[-1].type == "Motion"
    assert any(r.judgment.satisfied for r in filings_2026 if r.judgment)
    assert any(r.appeal for r in filings_2026)
    principals = sorted(r.judgment.principal for r in possession if r.judgment.principal)
    assert Decimal(1500) <= principals[len(principals) // 2] <= Decimal(3500)
    assert principals[-1] > Decimal(20000)
    assert all(p.as_tuple().exponent == -2 for p in principals)
    defendant_wins = [r for r in ud if r.judgment and r.judgment.judgment == "Defendant"]
    assert defendant_wins and all(r.judgment.possession is False for r in defendant_wins)
    debts = [r for r in filings_2026 if r.case_type != UD and r.judgment and r.judgment.principal]
    assert debts and all(r.judgment.possession is None for r in debts)


def test_parties_landlord_variants_repeat_tenants_and_refilings(filings_2026: list[CaseRecord]) -> None:
    ud = [r for r in filings_2026 if r.case_type == UD]
    names = {r.plaintiffs[0].name for r in ud}
    assert any(len(names & set(variants)) >= 2 for variants, _, _ in BIG_LANDLORDS)
    assert any(r.plaintiffs[0].dba for r in ud)
    households = collections.Counter((r.defendants[0].name, r.defendants[0].address) for r in ud
                                     if r.case_number.endswith("-00"))
    assert sum(1 for n in households.values() if n >= 2) >= 20
    refiled = [r for r in filings_2026 if r.case_number.endswith("-01")]
    assert 0.01 <= len(refiled) / len(ud) <= 0.04
    by_number = {r.case_number: r for r in filings_2026}
    for r in refiled:
        original = by_number.get(r.matter_key + "-00")
        if original is not None:
            assert original.matter_key == r.matter_key and original.filed_date < r.filed_date
    everyone = [p for r in ud for p in r.defendants]
    assert any(re.search(r"[ÁÉÍÑÓÚ]", p.name) for p in everyone)
    assert all(re.fullmatch(r"[A-Z .'-]+, VA \d{5}", p.address or "") for p in everyone)
    assert {p.attorney for p in everyone} >= {"NONE", "SELF-REPRESENTED"}


def test_hearing_rows_appear_when_set_and_results_after_the_day() -> None:
    docket = Docket(1, TODAY)
    continued = next(r for r in docket.filings("510", dt.date(2026, 9, 1), dt.date(2026, 9, 30), UD)
                     if len(r.hearings) >= 2 and r.hearings[0].result == "Continued")
    first, second = continued.hearings[0].date, continued.hearings[1].date
    docket.set_today(first - dt.timedelta(days=1))
    before = docket.case("510", continued.case_number)
    assert len(before.hearings) == 1 and before.hearings[0].result is None and before.judgment is None
    docket.set_today(first)
    assert len(docket.case("510", continued.case_number).hearings) == 2  # next date set in court that day
    docket.set_today(first + dt.timedelta(days=60))
    later = docket.case("510", continued.case_number)
    assert later.hearings[0].result == "Continued"
    assert second >= first + dt.timedelta(days=7)


def test_future_hearing_shows_result_sixty_days_later() -> None:
    docket = Docket(1, TODAY)
    pending = [r for r in docket.truth("510", TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=12))
               if r.hearings[-1].date > TODAY]
    assert pending and all(r.hearings[-1].result is None for r in pending)
    docket.set_today(TODAY + dt.timedelta(days=60))
    after = [docket.facts("510", r.case_number).as_of(docket.today) for r in pending]  # expunged ones too
    assert all(r.hearings[len(p.hearings) - 1].result for r, p in zip(after, pending))
    assert any(r.judgment is not None for r in after)


def test_truth_matches_hearing_days() -> None:
    docket = Docket(1, TODAY)
    since, until = dt.date(2026, 11, 16), dt.date(2026, 11, 20)
    truth = docket.truth("510", since, until)
    assert truth and all(r.case_type == UD and r.court is None for r in truth)
    assert all(any(since <= h.date <= until for h in r.hearings) for r in truth)
    by_day = {r.case_number for d in range(5) for r in docket.hearing_day("510", since + dt.timedelta(days=d))
              if r.case_type == UD}
    assert [r.case_number for r in truth] == sorted(by_day)
    assert len(docket.truth("510", since, until, case_type=None)) > len(truth)
    assert all(r == docket.case("510", r.case_number) for r in truth[:10])
    assert all(r.matter_key == r.case_number[:10] for r in truth)
    assert docket.truth("999", since, until) == []


def test_fault_spec_parse() -> None:
    spec = FaultSpec.parse("5xx=0.05, drop=0.02,truncate=0.02,latency=150,layout=hearing-title")
    assert (spec.error_5xx, spec.drop, spec.truncate, spec.latency_ms, spec.layout) == (0.05, 0.02, 0.02, 150, "hearing-title")
    assert FaultSpec.parse("") == FaultSpec() and FaultSpec.parse(str(spec)) == spec
    for bad, named in (("flood=0.1", "flood"), ("layout=sideways", "sideways"), ("5xx=2", "5xx"), ("drop", "drop")):
        with pytest.raises(ValueError, match=named):
            FaultSpec.parse(bad)


# --- ground truth for the pipeline: landlord, household, lifecycle status -------------------------


def test_landlord_ids_group_each_big_landlords_spellings_and_nothing_else(year_docket: Docket) -> None:
    names = year_docket.landlord_names("510")
    big = [l for l in court_landlords(1, COURTS["510"]) if l.big]
    for landlord in big:  # a year of filings uses every spelling of each big landlord, under one id
        assert names[landlord.id] == set(landlord.variants)
    assert {i for i in names if i.startswith("LL-")} == {l.id for l in big}
    assert all(len(spellings) == 1 for i, spellings in names.items() if not i.startswith("LL-"))
    owners = collections.Counter(name for spellings in names.values() for name in spellings)
    assert max(owners.values()) == 1  # no spelling is shared by two ids
    for number in ("GV26000004-00", "GV26000007-00", "GV26000002-00"):
        plaintiff = year_docket.facts("510", number).as_of(year_docket.today).plaintiffs[0].name
        assert plaintiff in names[year_docket.landlord_id("510", number)]
    assert year_docket.landlord_id("510", "GV26000004-00") == "LL-STONEBRIDGE-RESIDENTIAL-LLC"
    assert year_docket.landlord_id("510", "GV26000007-00").startswith("SL-510-")
    assert year_docket.landlord_id("510", "GV26000002-00") == "CR-BLUE-RIDGE-MEDICAL-BILLING-LLC"


def test_households_repeat_and_refilings_keep_landlord_and_household(year_docket: Docket) -> None:
    cases = year_docket.court_year("510", 2026).cases
    ud = [c for c in cases if c.case_type == UD]
    repeats = collections.Counter(c.household_id for c in ud if c.case_number.endswith("-00"))
    assert sum(1 for n in repeats.values() if n >= 2) >= 100
    first_defendant: dict[str, set[tuple[str, str | None]]] = collections.defaultdict(set)
    for c in ud:
        first_defendant[c.household_id].add((c.defendants[0].name, c.defendants[0].address))
    assert all(len(people) == 1 for people in first_defendant.values())
    by_number = {c.case_number: c for c in cases}
    refiled = [(by_number[c.matter_key + "-00"], c) for c in cases if c.case_number.endswith("-01")]
    assert refiled and all((a.landlord_id, a.household_id) == (b.landlord_id, b.household_id) for a, b in refiled)
    debts = [c.household_id for c in cases if c.case_type != UD]
    assert len(set(debts)) == len(debts) and not set(debts) & set(repeats)
    docket = Docket(1, dt.date(2026, 3, 1))
    assert docket.household_id("510", "GV26000004-00") == "HH-510-2026-00220"
    assert docket.household_id("510", "GV26000002-00") == "HH-510-GV26000002"  # a debt case: its own
    assert docket.household_id("510", "GV26009000-00") is None and docket.status("510", "GV26009000-00") is None
    assert docket.landlord_id("999", "GV26000002-00") is None and docket.status("510", "GV26-1") is None


def test_a_household_is_sued_a_handful_of_times_a_year_at_most_and_not_within_a_month(year_docket: Docket) -> None:
    """Serial filing as courts see it: a landlord re-filing against a tenant every month or two,
    not one household in hundreds of cases (a heavy-tailed draw did that)."""
    ud = [c for c in year_docket.court_year("510", 2026).cases if c.case_type == UD]
    filed: dict[str, list[dt.date]] = collections.defaultdict(list)
    for c in ud:  # a re-filing of a dismissed matter (-01) counts too
        filed[c.household_id].append(c.filed)
    counts = collections.Counter(len(days) for days in filed.values())
    assert max(counts) <= 6 and counts[1] > len(filed) / 2
    repeated = sum(n - 1 for n in map(len, filed.values()))
    assert 0.15 < repeated / len(ud) < 0.45  # serial filings are common, not the norm
    gaps = [(b - a).days for days in filed.values() for a, b in zip(sorted(days), sorted(days)[1:])]
    assert min(gaps) >= 28


def test_status_takes_every_value_over_a_year() -> None:
    docket = Docket(1, dt.date(2026, 1, 1))
    numbers = [c.case_number for c in docket.court_year("510", 2026).cases if c.case_type == UD]
    seen: collections.Counter[str] = collections.Counter()
    for week in range(0, 78, 2):
        docket.set_today(dt.date(2026, 1, 2) + dt.timedelta(weeks=week))
        seen.update(status for status in (docket.status("510", n) for n in numbers) if status)
    # Every case's first hearing is set the day it is filed, so `filed` never lasts a day here.
    assert set(seen) == set(lifecycle.STATUSES) - {lifecycle.FILED}
    case = docket.court_year("510", 2026).by_number["GV26000007-00"]
    assert lifecycle.status(dataclasses.replace(case, hearings=()), case.filed) == lifecycle.FILED


def _page_status(record: CaseRecord, set_on: list[dt.date]) -> str:
    """The same rules over what the page shows (plus the rows' set dates), written separately."""
    results = {"Continued": "continued", "Dismissed": "dismissed", "Non-suit": "non_suited"}
    events = [(record.filed_date, 0, "filed")]
    judged = _judgment_day(record) if record.judgment is not None else None
    for hearing, day in zip(record.hearings, set_on, strict=True):
        before_judgment = judged is None or hearing.date <= judged  # a motion after the judgment leaves its status
        if before_judgment:
            events.append((day, 1, "hearing_scheduled"))
        if hearing.result in results:
            events.append((hearing.date, 2, results[hearing.result]))
        elif hearing.result == "Other" and hearing is record.hearings[-1] and before_judgment:
            events.append((hearing.date, 2, "result_not_recorded"))  # held, no result written, nothing set after
    j = record.judgment
    if j is not None:
        if j.judgment in ("Plaintiff", "Judgment for Plaintiff", "Defendant"):
            events.append((_judgment_day(record), 3,
                           "judgment_defendant" if j.judgment == "Defendant" else "judgment_plaintiff"))
        for day, rank, status in ((j.writ_issued_date, 4, "writ_issued"), (j.writ_executed_date, 5, "writ_executed"),
                                  (j.satisfaction_filed_date if j.satisfied else None, 6, "satisfied")):
            if day is not None:
                events.append((day, rank, status))
    if record.appeal is not None:
        events.append((record.appeal.appeal_date, 7, "appealed"))
    return max(events, key=lambda e: (e[0], e[1]))[2]


def _judgment_day(record: CaseRecord) -> dt.date:
    # The page shows no judgment date: it is the last non-motion hearing's (whose result shows a day later).
    return max(h.date for h in record.hearings if h.type != "Motion")


def test_status_agrees_with_what_the_page_shows(year_docket: Docket) -> None:
    cases = year_docket.court_year("510", 2023).cases[::5] + year_docket.court_year("510", 2026).cases[::3]
    checked = 0
    for today in (dt.date(2023, 3, 15), dt.date(2023, 11, 20), dt.date(2026, 4, 1), dt.date(2026, 11, 27)):
        for facts in cases:
            record = facts.as_of(today)
            if record is None:
                assert lifecycle.status(facts, today) is None
                continue
            set_on = [h.set_on for h in facts.hearings if h.set_on <= today]
            assert lifecycle.status(facts, today) == _page_status(record, set_on), (facts.case_number, today)
            checked += 1
    assert checked > 3000


HAND_CHECKED = {  # read off the printed facts of each case (seed 1, Alexandria)
    # Filed 01/30, Return 02/20 Continued (trial set that day), Trial 03/10 Judgment for Plaintiff,
    # writ 04/01, executed 04/09, satisfied 04/26.
    "GV26000467-00": {"2026-01-29": None, "2026-01-30": "hearing_scheduled", "2026-02-20": "hearing_scheduled",
                      "2026-02-21": "continued", "2026-03-09": "continued", "2026-03-10": "judgment_plaintiff",
                      "2026-03-31": "judgment_plaintiff", "2026-04-01": "writ_issued", "2026-04-09": "writ_executed",
                      "2026-04-26": "satisfied"},
    # Return 01/27 Dismissed.
    "GV26000022-00": {"2026-01-27": "hearing_scheduled", "2026-01-28": "dismissed", "2027-06-30": "dismissed"},
    # Continued 02/06, Trial 02/18 Non-suit.
    "GV26000023-00": {"2026-02-06": "hearing_scheduled", "2026-02-07": "continued", "2026-02-19": "non_suited"},
    # Return 08/14 Judgment for Defendant, appealed by the plaintiff 08/20.
    "GV26003363-00": {"2026-08-13": "hearing_scheduled", "2026-08-14": "judgment_defendant",
                      "2026-08-19": "judgment_defendant", "2026-08-20": "appealed"},
    # Default judgment 01/28, writ 02/17 (never executed), satisfied 03/16.
    "GV26000003-00": {"2026-01-28": "judgment_plaintiff", "2026-02-17": "writ_issued", "2026-03-15": "writ_issued",
                      "2026-03-16": "satisfied"},
    # Default judgment 02/02; a motion hearing set 02/08 for 02/20 (result Other): the judgment
    # stays the status (issue 13); writ 02/16, satisfied 05/22.
    "GV26000131-00": {"2026-02-03": "judgment_plaintiff", "2026-02-08": "judgment_plaintiff",
                      "2026-02-15": "judgment_plaintiff", "2026-02-16": "writ_issued", "2026-02-21": "writ_issued",
                      "2026-05-22": "satisfied"},
    # Debt: continued 02/19, then Other with an `Other` judgment: the hearing was held, its result
    # not recorded (the `Other` judgment makes no event).
    "GV26000455-00": {"2026-02-20": "continued", "2027-06-30": "result_not_recorded"},
    # Filed 01/2023, before the executed date was on the page: the 02/15 execution never shows.
    "GV23000009-00": {"2023-02-07": "writ_issued", "2023-02-15": "writ_issued", "2024-01-01": "writ_issued"},
}


def test_status_of_hand_checked_cases() -> None:
    docket = Docket(1, TODAY)
    for number, timeline in HAND_CHECKED.items():
        for day, expected in timeline.items():
            docket.set_today(dt.date.fromisoformat(day))
            assert docket.status("510", number) == expected, (number, day)


def _truth_fingerprint(docket: Docket, fips: str) -> str:
    numbers = [c.case_number for c in docket.court_year(fips, 2026).cases]
    rows = [f"{n} {docket.landlord_id(fips, n)} {docket.household_id(fips, n)} {docket.status(fips, n)}" for n in numbers]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_ids_and_status_are_deterministic() -> None:
    first = _truth_fingerprint(Docket(1, TODAY), "013")
    assert first == _truth_fingerprint(Docket(1, TODAY), "013")
    assert first != _truth_fingerprint(Docket(2, TODAY), "013")
    code = ("import datetime as dt, sys; sys.path.insert(0, 'tests'); from test_sim_va_gdc import _truth_fingerprint; "
            "from scraper.courts.va_gdc.sim.docket import Docket; "
            "print(_truth_fingerprint(Docket(1, dt.date(2026, 11, 27)), '013'))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "4321", "PATH": "", "PYTHONPATH": os.environ["PYTHONPATH"]})
    assert other.stdout.strip() == first
    assert Docket(1, TODAY).landlord_names("013") == Docket(1, TODAY).landlord_names("013")


# --- over HTTP: the gate -------------------------------------------------------------------------


def test_terms_gate(running: RunningSimulator, sim: Simulator) -> None:
    assert running.base_url.startswith("http://127.0.0.1:") and running.base_url.endswith("/gdcourts/")
    with httpx.Client(base_url=running.base_url) as c:
        response = c.get("caseSearch.do?welcomePage=welcomePage")
        assert response.status_code == 302 and response.headers["location"].endswith("/gdcourts/landing.do")
        assert "JSESSIONID=" in response.headers["set-cookie"] and "Path=/gdcourts" in response.headers["set-cookie"]
        terms = c.get("landing.do")
        assert terms.status_code == 200 and "JSESSIONID" in c.cookies
        form = soup(terms.text).find("form")
        assert form["action"] == "landing.do" and form["method"] == "post"
        assert {(i["name"], i["value"]) for i in form.find_all("input", type="submit")} == {("accept", "Accept"), ("decline", "Decline")}
        assert c.get(HEARING_SEARCH).status_code == 302  # not accepted yet
        accepted = c.post("landing.do", data={"accept": "Accept"})
        assert accepted.status_code == 302 and "caseSearch.do" in accepted.headers["location"]
        home = c.get(accepted.headers["location"])
        assert home.status_code == 200 and home.headers["content-type"] == "text/html;charset=UTF-8"
        assert c.get(HEARING_SEARCH).status_code == 200
    assert sim.stats.sessions_created >= 1 and sim.stats.by_path["landing.do"] >= 2


def test_session_expires_after_max_requests_and_can_be_renewed() -> None:
    _, handle = start(session_max_requests=3)
    with handle, accepted_client(handle) as c:
        for _ in range(3):
            assert c.get(HEARING_SEARCH).status_code == 200
        expired = c.get(HEARING_SEARCH)
        assert expired.status_code == 200
        assert "Your previous session has expired due to inactivity" in expired.text
        assert soup(expired.text).find("input", attrs={"name": "accept"}) is not None
        assert c.get(HEARING_SEARCH).status_code == 302
        assert c.post("landing.do", data={"accept": "Accept"}).status_code == 302
        assert c.get(HEARING_SEARCH).status_code == 200


def test_session_expires_after_idle_time() -> None:
    clock = FakeClock()
    simulator, handle = start(session_idle_s=60.0, clock=clock)
    with handle, accepted_client(handle) as c:
        clock.now += 59
        assert "Hearing Date Search" in c.get(HEARING_SEARCH).text
        clock.now += 61
        assert "Your previous session has expired due to inactivity" in c.get(HEARING_SEARCH).text
    assert simulator.stats.sessions_expired == 1


def test_rate_limit_page() -> None:
    clock = FakeClock()
    simulator, handle = start(rate_limit_per_s=2.0, clock=clock)
    with handle, httpx.Client(base_url=handle.base_url) as c:
        c.get("landing.do")  # no cookie yet: the client's own bucket; from now on the session's
        assert "rate limit" not in c.get("landing.do").text + c.get("landing.do").text
        limited = c.get("landing.do")
        assert limited.status_code == 200
        assert "You have exceeded the rate limit for this application." in limited.text
        clock.now += 0.5
        assert "rate limit" not in c.get("landing.do").text
    assert simulator.stats.rate_limited == 1


def _clearance(page: str, user_agent: str) -> str:
    """The page's script, redone here: h = (h*31 + charCode*a) % m, starting from b."""
    a, b, m = (int(x) for x in re.search(r"var a = (\d+), b = (\d+), m = (\d+);", page).groups())
    h = b
    for char in user_agent:
        h = (h * 31 + ord(char) * a) % m
    return str(h)


def test_browser_check() -> None:
    _, handle = start(browser_check=True)
    with handle, httpx.Client(base_url=handle.base_url, headers={"User-Agent": UA}) as c:
        challenge = c.get("landing.do")
        assert challenge.status_code == 403 and soup(challenge.text).title.get_text() == "Just a moment..."
        assert "navigator.userAgent" in challenge.text and "location.reload()" in challenge.text
        assert 'document.cookie = "ew_clearance="' in challenge.text
        c.cookies.set("ew_clearance", _clearance(challenge.text, UA))
        assert c.get("landing.do").status_code == 200
        assert c.post("landing.do", data={"accept": "Accept"}).status_code == 302
        assert c.get(HEARING_SEARCH).status_code == 200
        assert c.get(HEARING_SEARCH, headers={"User-Agent": "python-httpx/0.28"}).status_code == 403
        c.cookies.set("ew_clearance", "12345")
        assert c.get(HEARING_SEARCH).status_code == 403


def test_verification_code_cannot_be_passed() -> None:
    _, handle = start(verification_code=True)
    with handle, httpx.Client(base_url=handle.base_url) as c:
        page = soup(c.get("landing.do").text)
        assert page.find("input", attrs={"name": "verificationCode"}) is not None and page.find("img")
        again = c.post("landing.do", data={"accept": "Accept", "verificationCode": "ABCD"})
        assert again.status_code == 200 and soup(again.text).find("input", attrs={"name": "verificationCode"})
        assert c.get(HEARING_SEARCH).status_code == 302


# --- over HTTP: searches and detail --------------------------------------------------------------


def _rows(page: BeautifulSoup) -> list[tuple[str, str]]:
    table = page.find("table", class_="tableborder")
    out = []
    for tr in table.find_all("tr", class_=["evenRow", "oddRow"]):
        cell = tr.find_all("td", class_="gridrow")[1]
        out.append((cell.get_text(strip=True), cell.find("a")["href"]))
    return out


def _has_next(page: BeautifulSoup) -> bool:
    return page.find("input", attrs={"type": "submit", "name": "caseInfoScrollForward", "value": "Next"}) is not None


def busy_day(sim: Simulator) -> dt.date:
    return max((TODAY - dt.timedelta(days=n) for n in range(1, 15)), key=lambda d: len(sim.docket.hearing_day("510", d)))


def test_hearing_date_search_pages_twenty_rows_until_the_last(client: httpx.Client, sim: Simulator) -> None:
    day = busy_day(sim)
    expected = [r.case_number for r in sim.docket.hearing_day("510", day)]
    assert len(expected) > 20
    assert client.get(HEARING_SEARCH).status_code == 200
    first = client.post("caseSearch.do", data={**search_fields(day), "caseSearch": "Search"})
    page = soup(first.text)
    headers = [td.get_text(strip=True) for td in page.find("table", class_="tableborder").find_all("td", class_="gridheader")]
    assert headers == ["", "Case #", "Defendant", "Plaintiff", "Case Type", "Hearing Time"]
    assert '"/>' + expected[0] + "</a>" in first.text  # the live site's self-closed link
    seen, pages = [], 0
    while True:
        rows = _rows(page)
        pages += 1
        seen += [number for number, _ in rows]
        if not _has_next(page):
            assert 1 <= len(rows) <= 20
            break
        assert len(rows) == 20
        page = soup(client.post("caseSearch.do", data={**search_fields(day), "caseInfoScrollForward": "Next",
                                                           "unCheckedCases": ""}).text)
    assert seen == expected and pages == (len(expected) + 19) // 20
    counter = int(re.search(r"clientSearchCounter=(\d+)", _rows(page)[0][1]).group(1))
    restart = soup(client.post("caseSearch.do", data={**search_fields(day), "caseSearch": "Search"}).text)
    assert [n for n, _ in _rows(restart)] == expected[:20]
    href = _rows(restart)[0][1]
    assert href == (f"caseSearch.do?formAction=caseDetails&displayCaseNumber={expected[0]}"
                    f"&localFipsCode=510&clientSearchCounter={counter + 1}")


def test_empty_day_says_no_results(client: httpx.Client) -> None:
    sunday = dt.date(2026, 11, 22)
    response = client.post("caseSearch.do", data={**search_fields(sunday), "caseSearch": "Search"})
    assert response.status_code == 200 and "No results found for the search criteria" in response.text


def _detail_sections(text: str) -> dict[str, BeautifulSoup]:
    page = soup(text)
    out = {}
    for td in page.select("td.subheader"):
        out[td.get_text(strip=True)] = td.find_parent("tr").find_next_sibling("tr")
    return out


def test_detail_page_has_nine_sections_and_shows_the_truth(client: httpx.Client, sim: Simulator) -> None:
    record = next(r for r in sim.docket.truth("510", TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=20))
                  if r.judgment and len(r.hearings) >= 2)
    response = client.get(f"caseSearch.do?formAction=caseDetails&displayCaseNumber={record.case_number}"
                          "&localFipsCode=510&clientSearchCounter=9")
    sections = _detail_sections(response.text)
    assert list(sections) == list(SECTIONS)
    assert sections["Plaintiff Information"]["id"] == "toggleDef"
    assert sections["Defendant Information"]["id"] == "togglePlaintiff"
    labels = {td.get_text(strip=True): td.find_next_sibling("td").get_text(strip=True)
              for td in sections["Case Information"].find_all("td", class_=re.compile("^labelgrid"))}
    assert labels["Case Number :"] == record.case_number and NUMBER_RE.match(labels["Case Number :"])
    assert labels["Filed Date :"] == record.filed_date.strftime("%m/%d/%Y") and labels["Case Type :"] == UD
    grid = sections["Hearing Information"].find("table", class_="tableborder")
    assert [td.get_text() for td in grid.select("tr.gridheader td.subgridheader")] == [
        "Date", "Time", "Result", "Hearing Type", "Courtroom"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in grid.find_all("tr", class_=["gridrow", "gridalternaterow"])]
    assert rows == [[h.date.strftime("%m/%d/%Y"), h.time.strftime("%I:%M %p"), h.result or "", h.type, h.courtroom]
                    for h in record.hearings]
    judgment = {td.get_text(strip=True): td.find_next_sibling("td").get_text(strip=True)
                for td in sections["Judgment Information"].find_all("td", class_=re.compile("^labelgrid"))}
    assert judgment["Judgment :"] == record.judgment.judgment
    costs = record.judgment.costs
    assert judgment["Costs :"] == (f"${costs:,.2f}" if costs is not None else "")
    assert judgment["Possession :"] == {True: "Y", False: "N", None: ""}[record.judgment.possession]
    unknown = client.get("caseSearch.do?formAction=caseDetails&displayCaseNumber=GV26999999-00&localFipsCode=510")
    assert "No results found for the search criteria" in unknown.text


def test_case_number_search(client: httpx.Client, sim: Simulator) -> None:
    number = sim.docket.truth("510", TODAY - dt.timedelta(days=10), TODAY)[0].case_number
    form = {"formAction": "submitCase", "searchFipsCode": "510", "searchDivision": "V", "searchType": "caseNumber",
            "localFipsCode": "510", "clientSearchCounter": "0"}
    found = client.post("criminalCivilCaseSearch.do", data={**form, "displayCaseNumber": number})
    assert found.status_code == 302 and found.headers["location"].endswith("/gdcourts/civilDetail.do")
    detail = client.get("civilDetail.do")
    assert list(_detail_sections(detail.text)) == list(SECTIONS) and number in detail.text
    invalid = client.post("criminalCivilCaseSearch.do", data={**form, "displayCaseNumber": "GV26-12"})
    error = soup(invalid.text).find(id="error")
    assert invalid.status_code == 200 and "errorFont" in error["class"]
    assert error.get_text() == "Please enter a valid Case Number."
    client.post("criminalCivilCaseSearch.do", data={**form, "displayCaseNumber": "GV26999999-00"})
    assert "No results found for the search criteria" in client.get("civilDetail.do").text


def test_set_today_moves_the_pages(sim: Simulator, client: httpx.Client) -> None:
    record = sim.docket.truth("510", TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=10))[0]
    url = f"caseSearch.do?formAction=caseDetails&displayCaseNumber={record.case_number}&localFipsCode=510"
    try:
        sim.set_today(record.filed_date - dt.timedelta(days=1))
        assert "No results found for the search criteria" in client.get(url).text
        sim.set_today(TODAY + dt.timedelta(days=60))
        later = sim.docket.case("510", record.case_number)
        assert later.hearings[0].result and later.hearings[0].result in client.get(url).text
    finally:
        sim.set_today(TODAY)


# --- faults --------------------------------------------------------------------------------------


def test_server_errors_but_never_on_the_terms() -> None:
    simulator, handle = start(faults=FaultSpec.parse("5xx=1"))
    with handle, httpx.Client(base_url=handle.base_url) as c:
        assert c.get("landing.do").status_code == 200
        assert c.post("landing.do", data={"accept": "Accept"}).status_code == 302
        assert {c.get(HEARING_SEARCH).status_code for _ in range(6)} <= {500, 502, 503}
    assert simulator.stats.faults_injected == 6


def test_dropped_connection_and_truncated_body_raise() -> None:
    simulator, handle = start(faults=FaultSpec.parse("drop=1"))
    with handle, accepted_client(handle) as c:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            c.get(HEARING_SEARCH)
        simulator.set_faults(FaultSpec.parse("truncate=1"))
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(HEARING_SEARCH)
        simulator.set_faults(FaultSpec())
        assert c.get(HEARING_SEARCH).status_code == 200
    assert simulator.stats.faults_by_kind == {"drop": 1, "truncate": 1}


def test_layout_variants_switch_at_runtime() -> None:
    simulator, handle = start()
    with handle, accepted_client(handle) as c:  # stopped however the test ends
        day = busy_day(simulator)
        number = simulator.docket.hearing_day("510", day)[0].case_number
        url = f"caseSearch.do?formAction=caseDetails&displayCaseNumber={number}&localFipsCode=510"
        assert "Hearing Information" in _detail_sections(c.get(url).text)
        simulator.set_faults(FaultSpec.parse("layout=hearing-title"))
        sections = _detail_sections(c.get(url).text)
        assert "Hearing Information" not in sections and "Hearing Details" in sections
        simulator.set_faults(FaultSpec.parse("layout=case-type-label"))
        assert "Case Type :" not in c.get(url).text
        simulator.set_faults(FaultSpec.parse("layout=results-header"))
        results = c.post("caseSearch.do", data={**search_fields(day), "caseSearch": "Search"}).text
        assert ">Case #<" not in results and number in results


def test_latency_overlaps_across_threads() -> None:
    _, handle = start(latency_ms=300)
    with handle:
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda _: httpx.get(handle.base_url + "landing.do").status_code, range(4)))
        elapsed = time.perf_counter() - started
    assert statuses == [200] * 4 and 0.3 <= elapsed < 1.1


def test_stop_ends_kept_alive_connections() -> None:
    _, handle = start()
    try:
        with httpx.Client(base_url=handle.base_url) as c:
            assert c.get("landing.do").status_code == 200
            handle.stop()
            with pytest.raises(httpx.TransportError):
                c.get("landing.do")
    finally:
        handle.stop()  # a second stop() does nothing; the first may not have been reached


@pytest.mark.browser
def test_real_browser_passes_the_check_and_its_cookie_works_for_httpx() -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}")
    _, handle = start(browser_check=True)
    with handle, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)  # the tests' resolver rules too
        try:
            page = browser.new_page()
            page.goto(handle.base_url + "landing.do")
            page.wait_for_selector("input[name=accept]", timeout=15_000)
            user_agent = page.evaluate("navigator.userAgent")
            clearance = next(c["value"] for c in page.context.cookies() if c["name"] == "ew_clearance")
        finally:
            browser.close()
        with httpx.Client(base_url=handle.base_url, headers={"User-Agent": user_agent}) as c:
            c.cookies.set("ew_clearance", clearance)
            assert c.get("landing.do").status_code == 200
