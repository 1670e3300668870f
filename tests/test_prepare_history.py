"""Table-driven tests for pipeline.prepare (record -> PreparedCase) and pipeline.history (changes).

Every record is built by hand; `today` is passed explicitly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.prepare import content_hash, prepare
from pipeline.store.history import Change, changes
from pipeline.store.inputs import PreparedCase
from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

ZONE = "America/New_York"
FILED = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 1, 20)


def rec(*, plaintiffs: tuple[Party, ...] = (Party(name="ABC APTS LLC"),),
        defendants: tuple[Party, ...] = (Party(name="SMITH, JOHN", address="RICHMOND, VA 23220"),),
        hearings: tuple[Hearing, ...] = (), judgment: Judgment | None = None,
        appeal: Appeal | None = None) -> CaseRecord:
    return CaseRecord(
        court="va-gdc-richmond",
        case_number="GV26000123-00",
        matter_key="GV26000123",
        filed_date=FILED,
        case_type="Unlawful Detainer",
        plaintiffs=plaintiffs,
        defendants=defendants,
        hearings=hearings,
        judgment=judgment,
        appeal=appeal,
    )


def defs(*parties: tuple[str, str | None]) -> tuple[Party, ...]:
    return tuple(Party(name=name, address=address) for name, address in parties)


def prep(record: CaseRecord, today: dt.date = TODAY) -> PreparedCase:
    return prepare(record, today, ZONE, VA_GDC)


# ============================================================================ prepare
# ------------------------------------------------------------------- household key
# (id, defendants, expected household key)
HOUSEHOLDS = [
    ("person-city-state-zip", defs(("PEÑA, MARISOL R", "ALEXANDRIA, VA 22304")), "NAME|PENA|MARISOL|22304"),
    ("person-zip-plus-four", defs(("SMITH, JOHN", "RICHMOND, VA 23220-1234")), "NAME|SMITH|JOHN|23220"),
    ("person-no-address", defs(("SMITH, JOHN", None)), "NAME|SMITH|JOHN|"),
    ("street-and-unit", defs(("SMITH, JOHN", "123 Main St Apt 4B, Richmond, VA 23220")),
     "ADDR|123 MAIN ST|APT 4B|23220"),
    ("street-no-unit", defs(("SMITH, JOHN", "123 Main St, Richmond, VA 23220")), "ADDR|123 MAIN ST||23220"),
    ("street-hash-unit", defs(("SMITH, JOHN", "4500 N Washington Blvd #1203, Arlington, VA 22201")),
     "ADDR|4500 N WASHINGTON BLVD|# 1203|22201"),
    ("first-person-stands-for-household",
     defs(("SMITH, JOHN", "RICHMOND, VA 23220"), ("JONES, MARY", "RICHMOND, VA 23224")), "NAME|SMITH|JOHN|23220"),
    ("bare-occupants-first-is-ignored",
     defs(("ALL OTHER OCCUPANTS", "RICHMOND, VA 23225"), ("SMITH, JOHN", "RICHMOND, VA 23220")),
     "NAME|SMITH|JOHN|23220"),
    ("person-with-occupants-phrase", defs(("SMITH, JOHN AND ALL OTHER OCCUPANTS", "RICHMOND, VA 23220")),
     "NAME|SMITH|JOHN|23220"),
    ("organization-when-no-person", defs(("ACME HOLDINGS LLC", "RICHMOND, VA 23220")),
     "NAME|ACME HOLDINGS LLC|23220"),
    ("organization-and-occupants", defs(("ALL OTHER OCCUPANTS", None), ("ACME HOLDINGS LLC", "RICHMOND, VA 23220")),
     "NAME|ACME HOLDINGS LLC|23220"),
    ("person-after-organization",
     defs(("ACME HOLDINGS LLC", "RICHMOND, VA 23219"), ("SMITH, JOHN", "RICHMOND, VA 23220")),
     "NAME|SMITH|JOHN|23220"),
    ("only-bare-occupants", defs(("ALL OTHER OCCUPANTS", "RICHMOND, VA 23220")), None),
    ("no-defendants", (), None),
]


@pytest.mark.parametrize("defendants,expected", [h[1:] for h in HOUSEHOLDS], ids=[h[0] for h in HOUSEHOLDS])
def test_household_key(defendants: tuple[Party, ...], expected: str | None) -> None:
    assert prep(rec(defendants=defendants)).household_key == expected


SAME_TENANT = [
    ("accent", "PEÑA, MARISOL", "PENA, MARISOL"),
    ("middle-initial", "PENA, MARISOL R", "PENA, MARISOL"),
    ("accent-and-middle-initial", "PEÑA, MARISOL R", "PENA, MARISOL"),
    ("accented-first-name", "PEREZ, JOSÉ A", "PEREZ, JOSE"),
    ("case-and-dotted-initial", "Peña, Marisol R.", "PENA, MARISOL"),
]


@pytest.mark.parametrize("one,other", [s[1:] for s in SAME_TENANT], ids=[s[0] for s in SAME_TENANT])
def test_same_tenant_spellings_share_a_household(one: str, other: str) -> None:
    keys = {prep(rec(defendants=defs((name, "ALEXANDRIA, VA 22304")))).household_key for name in (one, other)}
    assert len(keys) == 1
    assert keys.pop().startswith("NAME|")


def test_different_zip_is_a_different_household() -> None:
    a = prep(rec(defendants=defs(("SMITH, JOHN", "RICHMOND, VA 23220")))).household_key
    b = prep(rec(defendants=defs(("SMITH, JOHN", "RICHMOND, VA 23224")))).household_key
    assert a != b


# ------------------------------------------------------------------- hearing datetimes
# (id, date, time, expected UTC offset in hours)
HEARING_TIMES = [
    ("winter-est", dt.date(2026, 1, 20), dt.time(9, 0), -5),
    ("summer-edt", dt.date(2026, 7, 14), dt.time(9, 0), -4),
    ("day-before-dst-start", dt.date(2026, 3, 7), dt.time(13, 30), -5),
    ("day-after-dst-start", dt.date(2026, 3, 9), dt.time(13, 30), -4),
    ("day-after-dst-end", dt.date(2026, 11, 2), dt.time(10, 0), -5),
]


@pytest.mark.parametrize("date,time,offset", [h[1:] for h in HEARING_TIMES], ids=[h[0] for h in HEARING_TIMES])
def test_hearing_starts_are_aware_in_court_zone(date: dt.date, time: dt.time, offset: int) -> None:
    prepared = prep(rec(hearings=(Hearing(date=date, time=time),)))
    (start,) = prepared.hearing_starts
    assert start is not None and start.tzinfo is not None
    assert str(start.tzinfo) == ZONE
    assert start.utcoffset() == dt.timedelta(hours=offset)
    assert (start.date(), start.time()) == (date, time)  # wall-clock time kept as the court shows it
    assert start.astimezone(dt.timezone.utc).hour == (time.hour - offset) % 24


def test_hearing_without_time_has_no_start() -> None:
    prepared = prep(rec(hearings=(Hearing(date=dt.date(2026, 1, 20), time=dt.time(9)),
                                  Hearing(date=dt.date(2026, 2, 3)))))
    assert prepared.hearing_starts[0] is not None
    assert prepared.hearing_starts[1] is None


def test_hearing_codes_and_judgment_code() -> None:
    prepared = prep(rec(
        hearings=(Hearing(date=dt.date(2026, 1, 20), result="Continued"),
                  Hearing(date=dt.date(2026, 2, 3), result="Default Judgment"),
                  Hearing(date=dt.date(2026, 2, 17), result="Writ hearing"),
                  Hearing(date=dt.date(2026, 3, 3))),
        judgment=Judgment(judgment="Judgment for Plaintiff")), today=dt.date(2026, 2, 20))
    assert prepared.hearing_codes == ("continued", "default_judgment", "unknown", "pending")
    assert prepared.judgment_code == "plaintiff"
    # Hearings after the judgment (a motion) leave its status and are flagged (issue 13).
    assert prepared.life.status == "judgment_plaintiff" and prepared.life.hearing_after_judgment
    assert prepared.life.judgment_date == dt.date(2026, 2, 3)
    assert prepared.life.unknown_values == ("hearing result 'Writ hearing'",)
    assert prep(rec()).judgment_code is None


# ------------------------------------------------------------------- landlord
LANDLORD_SPELLINGS = [
    "ABC APTS LLC",
    "ABC APARTMENTS, L.L.C.",
    "The ABC Apts., L.L.C.",
    "ABC APARTMENTS LLC T/A PARK TOWERS",
]


def test_landlord_key_groups_spellings() -> None:
    keys = {prep(rec(plaintiffs=(Party(name=name),))).landlord_key for name in LANDLORD_SPELLINGS}
    assert keys == {"ABC APARTMENTS"}


def test_landlord_is_the_first_plaintiff() -> None:
    prepared = prep(rec(plaintiffs=(Party(name="ABC APTS LLC"), Party(name="XYZ REALTY INC"))))
    assert prepared.landlord_name == "ABC APTS LLC"
    assert prepared.landlord_key == "ABC APARTMENTS"


def test_no_plaintiff_no_landlord() -> None:
    prepared = prep(rec(plaintiffs=()))
    assert (prepared.landlord_name, prepared.landlord_key) == (None, None)


def test_parties_roles_and_positions() -> None:
    prepared = prep(rec(plaintiffs=(Party(name="ABC APTS LLC"),),
                        defendants=defs(("SMITH, JOHN", "RICHMOND, VA 23220"), ("ALL OTHER OCCUPANTS", None))))
    assert [(p.role, p.position, p.norm.kind) for p in prepared.parties] == [
        ("plaintiff", 0, "organization"), ("defendant", 0, "person"), ("defendant", 1, "occupants")]
    assert prepared.parties[1].address is not None and prepared.parties[1].address.zip5 == "23220"
    assert prepared.parties[2].address is None


# ------------------------------------------------------------------- content hash
def _hearings(result: str | None) -> tuple[Hearing, ...]:
    return (Hearing(date=dt.date(2026, 1, 20), time=dt.time(9), result=result, type="Return", courtroom="2"),)


def test_content_hash_equal_for_equal_records() -> None:
    a = rec(hearings=_hearings(None), judgment=Judgment(judgment="Plaintiff", costs=Decimal("56.00")))
    b = rec(hearings=_hearings(None), judgment=Judgment(judgment="Plaintiff", costs=Decimal("56.00")))
    assert a is not b
    assert content_hash(a) == content_hash(b) == prep(a).content_hash
    assert len(content_hash(a)) == 64


def test_content_hash_changes_with_hearing_result() -> None:
    assert content_hash(rec(hearings=_hearings(None))) != content_hash(rec(hearings=_hearings("Continued")))


def test_content_hash_changes_with_judgment() -> None:
    assert content_hash(rec(judgment=Judgment(judgment="Plaintiff"))) != \
        content_hash(rec(judgment=Judgment(judgment="Plaintiff", writ_issued_date=dt.date(2026, 2, 1))))


def test_content_hash_ignores_unknown_fields() -> None:
    # unknown_fields is excluded from the dump: parser drift alone is not a change of the case.
    assert content_hash(rec()) == content_hash(rec().model_copy(update={"unknown_fields": ("label X",)}))


# ============================================================================ history
D1, D2, D3 = dt.date(2026, 1, 20), dt.date(2026, 2, 3), dt.date(2026, 2, 17)
K1, K2, K3 = "2026-01-20 09:00", "2026-02-03 09:00", "2026-02-17 --:--"


def h(date: dt.date, result: str | None = None, *, time: dt.time | None = dt.time(9), type: str | None = "Return",
      courtroom: str | None = "2") -> Hearing:
    return Hearing(date=date, time=time, result=result, type=type, courtroom=courtroom)


JUDGMENT = Judgment(judgment="Plaintiff", costs=Decimal("56.00"), principal=Decimal("1250.00"), possession=True)

# (id, old record, new record, expected changes, excluding status)
HISTORY = [
    ("identical", rec(hearings=(h(D1),), judgment=JUDGMENT), rec(hearings=(h(D1),), judgment=JUDGMENT), []),
    ("new-hearing", rec(hearings=(h(D1, "Continued"),)), rec(hearings=(h(D1, "Continued"), h(D2))),
     [Change("hearing_added", K2, None, "Return 2")]),
    ("new-hearing-without-time", rec(hearings=(h(D1),)),
     rec(hearings=(h(D1), h(D3, time=None, type=None, courtroom=None))),
     [Change("hearing_added", K3, None, "hearing")]),
    ("result-filled-in", rec(hearings=(h(D1),)), rec(hearings=(h(D1, "Continued"),)),
     [Change("hearing_result", K1, None, "Continued")]),
    ("result-changed", rec(hearings=(h(D1, "Continued"),)), rec(hearings=(h(D1, "Dismissed"),)),
     [Change("hearing_result", K1, "Continued", "Dismissed")]),
    ("result-and-courtroom-changed", rec(hearings=(h(D1),)), rec(hearings=(h(D1, "Continued", courtroom="3B"),)),
     [Change("hearing_result", K1, None, "Continued"),
      Change("hearing_changed", K1, "Return 2", "Return 3B Continued")]),
    ("hearing-removed", rec(hearings=(h(D1, "Continued"), h(D2))), rec(hearings=(h(D1, "Continued"),)),
     [Change("hearing_removed", K2, "Return 2", None)]),
    ("hearing-moved-is-removed-and-added", rec(hearings=(h(D2),)), rec(hearings=(h(D2, time=dt.time(13, 30)),)),
     [Change("hearing_added", "2026-02-03 13:30", None, "Return 2"),
      Change("hearing_removed", K2, "Return 2", None)]),
    ("judgment-appears", rec(), rec(judgment=JUDGMENT),
     [Change("judgment", "judgment", None, "Plaintiff"), Change("judgment", "costs", None, "56.00"),
      Change("judgment", "principal", None, "1250.00"), Change("judgment", "possession", None, "yes")]),
    ("judgment-fields-change",
     rec(judgment=JUDGMENT),
     rec(judgment=JUDGMENT.model_copy(update={"writ_issued_date": dt.date(2026, 2, 20), "satisfied": False,
                                              "principal": Decimal("1300.00")})),
     [Change("judgment", "principal", "1250.00", "1300.00"),
      Change("judgment", "writ_issued_date", None, "2026-02-20"),
      Change("judgment", "satisfied", None, "no")]),
    ("judgment-removed", rec(judgment=Judgment(judgment="Plaintiff")), rec(),
     [Change("judgment", "judgment", "Plaintiff", None)]),
    ("appeal-appears", rec(), rec(appeal=Appeal(appeal_date=dt.date(2026, 2, 1), appealed_by="Defendant")),
     [Change("appeal", "appeal_date", None, "2026-02-01"), Change("appeal", "appealed_by", None, "Defendant")]),
    ("appeal-date-only", rec(), rec(appeal=Appeal(appeal_date=dt.date(2026, 2, 1))),
     [Change("appeal", "appeal_date", None, "2026-02-01")]),
    ("defendant-added",
     rec(defendants=defs(("SMITH, JOHN", None))),
     rec(defendants=defs(("SMITH, JOHN", None), ("ALL OTHER OCCUPANTS", None))),
     [Change("party_added", "defendant", None, "ALL OTHER OCCUPANTS")]),
    ("defendant-removed",
     rec(defendants=defs(("SMITH, JOHN", None), ("JONES, MARY", None))),
     rec(defendants=defs(("SMITH, JOHN", None))),
     [Change("party_removed", "defendant", "JONES, MARY", None)]),
    ("plaintiff-renamed",
     rec(plaintiffs=(Party(name="ABC APTS LLC"),)), rec(plaintiffs=(Party(name="ABC APARTMENTS LLC"),)),
     [Change("party_added", "plaintiff", None, "ABC APARTMENTS LLC"),
      Change("party_removed", "plaintiff", "ABC APTS LLC", None)]),
    ("party-reordered-is-no-change",
     rec(defendants=defs(("SMITH, JOHN", None), ("JONES, MARY", None))),
     rec(defendants=defs(("JONES, MARY", None), ("SMITH, JOHN", None))), []),
]


@pytest.mark.parametrize("old,new,expected", [c[1:] for c in HISTORY], ids=[c[0] for c in HISTORY])
def test_changes(old: CaseRecord, new: CaseRecord, expected: list[Change]) -> None:
    assert changes(old, new, "hearing_scheduled", "hearing_scheduled") == expected


@pytest.mark.parametrize("old,new,expected", [c[1:] for c in HISTORY if c[3]], ids=[c[0] for c in HISTORY if c[3]])
def test_each_change_written_once(old: CaseRecord, new: CaseRecord, expected: list[Change]) -> None:
    found = changes(old, new, "x", "x")
    assert len(found) == len(set(found))
    assert changes(new, new, "x", "x") == []  # seen again, unchanged: nothing more


def test_first_sighting() -> None:
    assert changes(None, rec(hearings=(h(D1),), judgment=JUDGMENT), None, "judgment_plaintiff") == [
        Change("first_seen", "status", None, "judgment_plaintiff")]


def test_status_change_is_last() -> None:
    old = rec(hearings=(h(D1),))
    new = rec(hearings=(h(D1, "Continued"), h(D2)))
    assert changes(old, new, "hearing_scheduled", "continued") == [
        Change("hearing_added", K2, None, "Return 2"),
        Change("hearing_result", K1, None, "Continued"),
        Change("status", "status", "hearing_scheduled", "continued"),
    ]


def test_status_change_alone() -> None:
    # Nothing on the page changed but the status did (e.g. recomputed with a new `today`).
    record = rec(hearings=(h(D1),), judgment=JUDGMENT)
    assert changes(record, record, "hearing_scheduled", "judgment_plaintiff") == [
        Change("status", "status", "hearing_scheduled", "judgment_plaintiff")]


def test_identical_records_no_changes() -> None:
    a = rec(hearings=(h(D1, "Continued"), h(D2)), judgment=JUDGMENT,
            appeal=Appeal(appeal_date=dt.date(2026, 2, 1), appealed_by="Defendant"))
    b = CaseRecord.model_validate(a.model_dump())
    assert a is not b
    assert changes(a, b, "appealed", "appealed") == []


def test_history_with_prepared_status() -> None:
    """End to end on two sightings: prepare gives the statuses, history the rows."""
    first = rec(hearings=(h(D1),))
    second = rec(hearings=(h(D1, "Default Judgment"),), judgment=JUDGMENT)
    s1, s2 = prep(first, D1 - dt.timedelta(days=1)).life.status, prep(second, D1 + dt.timedelta(days=1)).life.status
    assert (s1, s2) == ("hearing_scheduled", "judgment_plaintiff")
    found = changes(first, second, s1, s2)
    assert [c.kind for c in found] == ["hearing_result", "judgment", "judgment", "judgment", "judgment", "status"]
    assert found[-1] == Change("status", "status", "hearing_scheduled", "judgment_plaintiff")
