"""The store's paged read API (pipeline/store/browse.py): filters, newest first, keyed pages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.landlords_key import landlord_key
from pipeline.linkage.names import names_sought
from pipeline.prepare import prepare
from pipeline.store.browse import CaseFilter, PageKey, case_page, count_cases, landlord_spellings
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import CaseRecord, Hearing, Party

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def store(store_on_both):
    """This module's tests run on both engines."""
    return store_on_both


def _case(court: str, n: int, filed: dt.date, zip5: str, closed: bool = False) -> CaseRecord:
    return CaseRecord(
        court=court, case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed,
        case_type="Unlawful Detainer",
        plaintiffs=(Party(name="ORCHARD RIDGE APTS LLC" if n % 2 else "BIRCH HOLLOW LP", address="FAIRFAX, VA 22030"),),
        defendants=(Party(name=f"DOE, TENANT {n}", address=f"ALEXANDRIA, VA {zip5}"),),
        hearings=(Hearing(date=filed + dt.timedelta(days=21), result="Dismissed", type="Return"),) if closed else (),
    )


@pytest.fixture
def stored(store: Store) -> Store:
    for court, code in (("alexandria", "510"), ("arlington", "013")):
        store.ensure_court(Court(court, get_source("va-gdc"), code, "https://portal.example.invalid/gdcourts/"))
    records = [_case("alexandria" if n % 3 else "arlington", n, dt.date(2026, 9, 1) + dt.timedelta(days=n // 4),
                     "22304" if n % 2 else "22305", closed=n % 5 == 0) for n in range(1, 41)]
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in records])
    refresh_landlords(store, LandlordOverrides())
    return store


def _all_pages(store: Store, where: CaseFilter, size: int) -> list[list[str]]:
    pages, after = [], None
    while True:
        page = case_page(store, where, size=size, after=after)
        pages.append([c.case_number for c in page.cases])
        if page.next is None:
            return pages
        after = page.next


def test_pages_are_newest_first_and_together_hold_every_case_once(stored: Store):
    pages = _all_pages(stored, CaseFilter(), size=7)
    assert [len(p) for p in pages] == [7, 7, 7, 7, 7, 5]
    numbers = [n for p in pages for n in p]
    assert len(set(numbers)) == 40 == count_cases(stored)
    by_number = {c.case_number: c for p in [case_page(stored, size=40)] for c in p.cases}
    filed = [by_number[n].filed_date for n in numbers]
    assert filed == sorted(filed, reverse=True)
    assert case_page(stored, size=40).next is None


def test_a_case_stored_while_paging_neither_repeats_nor_hides_a_row(stored: Store):
    first = case_page(stored, size=10)
    late = _case("alexandria", 99, dt.date(2026, 9, 1), "22304")  # older than the first page's cases
    stored.save([prepare(late, TODAY, "America/New_York", VA_GDC)])
    rest = _all_pages(stored, CaseFilter(), size=10)  # from the top again, for the whole set
    after = [n for p in _pages_after(stored, first.next) for n in p]
    assert set(after) | {c.case_number for c in first.cases} == {n for p in rest for n in p}
    assert not set(after) & {c.case_number for c in first.cases} and "GV26000099-00" in after


def _pages_after(store: Store, key: PageKey | None) -> list[list[str]]:
    pages = []
    while key is not None:
        page = case_page(store, size=10, after=key)
        pages.append([c.case_number for c in page.cases])
        key = page.next
    return pages


def test_filters_by_court_zip_dates_and_open_cases(stored: Store):
    arlington = CaseFilter(courts=("arlington",))
    assert {c.court for c in case_page(stored, arlington, size=100).cases} == {"arlington"}
    assert count_cases(stored, arlington) == len([n for n in range(1, 41) if n % 3 == 0])
    in_22305 = case_page(stored, CaseFilter(zip5="22305"), size=100).cases
    assert in_22305 and all(c.defendants[0].zip5 == "22305" for c in in_22305) and len(in_22305) == 20
    window = CaseFilter(filed_since=dt.date(2026, 9, 3), filed_until=dt.date(2026, 9, 4))
    assert {c.filed_date for c in case_page(stored, window, size=100).cases} == {dt.date(2026, 9, 3), dt.date(2026, 9, 4)}
    assert count_cases(stored, window) == 8
    still_open = case_page(stored, CaseFilter(open_only=True), size=100).cases
    assert len(still_open) == 32 and not any(c.closed for c in still_open)


def test_filters_by_landlord_group_and_hides_erased_cases(stored: Store):
    with stored.engine.connect() as conn:
        groups = dict(conn.execute(text("SELECT canonical_name, id FROM landlords")).all())
    orchard = next(i for name, i in groups.items() if "ORCHARD" in name.upper())
    cases = case_page(stored, CaseFilter(landlord_id=orchard), size=100).cases
    assert len(cases) == 20 and {c.filed_as for c in cases} == {"ORCHARD RIDGE APTS LLC"}
    with stored.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET erased_at = CURRENT_TIMESTAMP WHERE case_number = 'GV26000001-00'"))
    assert count_cases(stored, CaseFilter(landlord_id=orchard)) == 19
    assert "GV26000001-00" not in [c.case_number for c in case_page(stored, size=100).cases]


def test_a_page_size_out_of_range_is_refused(stored: Store):
    with pytest.raises(ValueError, match="a page holds 1 to 500 cases, not 0"):
        case_page(stored, size=0)


def test_a_partners_zip_codes_are_its_first_tenants_and_a_search_by_zip_any_tenants(store: Store):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    two = CaseRecord(
        court="alexandria", case_number="GV26000001-00", matter_key="GV26000001", filed_date=dt.date(2026, 9, 1),
        case_type="Unlawful Detainer", plaintiffs=(Party(name="BIRCH HOLLOW LP"),),
        defendants=(Party(name="DOE, JANE", address="ALEXANDRIA, VA 22304"),
                    Party(name="DOE, JOHN", address="ALEXANDRIA, VA 22305")))
    store.save([prepare(two, TODAY, "America/New_York", VA_GDC)])
    assert count_cases(store, CaseFilter(zips=("22304",))) == 1
    assert count_cases(store, CaseFilter(zips=("22305",))) == 0  # the second tenant's
    assert count_cases(store, CaseFilter(zip5="22305")) == 1  # any tenant's
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT zip5 FROM cases")).scalar_one() == "22304"


def test_a_landlord_is_found_by_its_groups_name_or_a_spellings_key(stored: Store):
    def found(typed: str) -> int:
        keys = landlord_spellings(stored, typed, landlord_key(typed) or None)
        return count_cases(stored, CaseFilter(landlord_keys=keys)) if keys else 0

    orchard = count_cases(stored, CaseFilter(landlords=("ORCHARD RIDGE APTS LLC",)))
    assert orchard == 20
    assert found("orchard") == found("Orchard Ridge Apartments") == found("ridge apts") == orchard
    assert found("hollow") == 20 and found("meadow") == 0
    assert found("50%") == 0  # a wildcard typed is a character sought


def test_a_search_that_finds_no_name_and_no_landlord_selects_nothing(stored: Store):
    assert count_cases(stored, CaseFilter(by_name_or_landlord=True)) == 0
    assert count_cases(stored, CaseFilter()) == 40


def test_a_name_or_a_landlord_pages_through_both_without_a_repeat_or_a_gap(stored: Store):
    # Three tenants named ROE (one of them ORCHARD's, two BIRCH's): ORCHARD's 20 cases or a ROE.
    roes = [_case("alexandria", 100 + n, dt.date(2026, 9, 3) + dt.timedelta(days=n * 7), "22304")
            .model_copy(update={"defendants": (Party(name="ROE, RITA", address="ALEXANDRIA, VA 22304"),)})
            for n in range(3)]
    stored.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in roes])
    refresh_landlords(stored, LandlordOverrides())
    where = CaseFilter(names=names_sought("Rita Roe"), landlord_keys=landlord_spellings(stored, "orchard"),
                       by_name_or_landlord=True)
    pages = _all_pages(stored, where, size=4)
    numbers = [n for page in pages for n in page]
    assert len(numbers) == len(set(numbers)) == count_cases(stored, where) == 21 + 2  # ORCHARD has 21 now
    assert {"GV26000100-00", "GV26000102-00"} <= set(numbers)  # BIRCH's ROEs (the ORCHARD one counts once)
