"""Table-driven tests for pipeline.lifecycle: the status state machine and its flags.

Every record is built by hand; `today` is always passed explicitly, so nothing depends on the
wall clock. Dates are written as day offsets from the filing date (`d(20)` = 20 days after filing).
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.lifecycle import lifecycle as court_lifecycle
from pipeline.store.inputs import Lifecycle
from pipeline.store.statuses import CLOSED, STATUSES
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party


def lifecycle(record: CaseRecord, today: dt.date) -> Lifecycle:
    """Virginia's wording: these cases are written as the GDC portal shows them."""
    return court_lifecycle(record, today, VA_GDC)

FILED = dt.date(2026, 1, 5)


def d(days: int) -> dt.date:
    return FILED + dt.timedelta(days=days)


def H(day: int, result: str | None = None, time: str | None = "09:00", type: str | None = "Return") -> Hearing:
    return Hearing(date=d(day), time=dt.time.fromisoformat(time) if time else None, result=result, type=type)


def J(judgment: str | None = "Plaintiff", *, writ: int | None = None, executed: int | None = None,
      satisfied: bool | None = None, satisfied_on: int | None = None) -> Judgment:
    return Judgment(
        judgment=judgment,
        possession=True,
        writ_issued_date=d(writ) if writ is not None else None,
        writ_executed_date=d(executed) if executed is not None else None,
        satisfied=satisfied,
        satisfaction_filed_date=d(satisfied_on) if satisfied_on is not None else None,
    )


def rec(*hearings: Hearing, judgment: Judgment | None = None, appeal: int | None = None) -> CaseRecord:
    return CaseRecord(
        case_number="GV26000123-00",
        matter_key="GV26000123",
        filed_date=FILED,
        case_type="Unlawful Detainer",
        plaintiffs=(Party(name="ABC APARTMENTS LLC"),),
        defendants=(Party(name="SMITH, JOHN", address="RICHMOND, VA 23220"),),
        hearings=hearings,
        judgment=judgment,
        appeal=Appeal(appeal_date=d(appeal), appealed_by="Defendant") if appeal is not None else None,
    )


# ------------------------------------------------------------------------------ statuses
# (id, record, today offset, expected status)
STATUS_CASES = [
    ("filed-no-hearings", rec(), 3, "filed"),
    ("hearing-scheduled", rec(H(20)), 10, "hearing_scheduled"),
    ("continued-next-not-set", rec(H(20, "Continued")), 21, "continued"),
    ("judgment-plaintiff-default", rec(H(20, "Default Judgment"), judgment=J("Plaintiff")), 21,
     "judgment_plaintiff"),
    ("judgment-plaintiff-judgment+plaintiff", rec(H(20, "Continued"), H(34, "Judgment"), judgment=J("Plaintiff")),
     35, "judgment_plaintiff"),
    ("judgment-plaintiff-judgment-for-plaintiff", rec(H(20, "Judgment"), judgment=J("Judgment for Plaintiff")),
     21, "judgment_plaintiff"),
    ("judgment-defendant", rec(H(20, "Judgment"), judgment=J("Defendant")), 21, "judgment_defendant"),
    ("dismissed", rec(H(20, "Dismissed")), 21, "dismissed"),
    ("dismissed-after-continuance", rec(H(20, "Continued"), H(34, "Dismissed")), 40, "dismissed"),
    ("non-suited", rec(H(20, "Non-suit")), 21, "non_suited"),
    ("writ-issued", rec(H(20, "Default Judgment"), judgment=J(writ=32)), 33, "writ_issued"),
    ("writ-executed", rec(H(20, "Default Judgment"), judgment=J(writ=32, executed=45)), 46, "writ_executed"),
    ("satisfied-dated", rec(H(20, "Default Judgment"), judgment=J(writ=32, satisfied=True, satisfied_on=40)), 41,
     "satisfied"),
    ("satisfied-undated", rec(H(20, "Default Judgment"), judgment=J(satisfied=True)), 30, "satisfied"),
    ("appealed", rec(H(20, "Judgment"), judgment=J("Plaintiff"), appeal=25), 26, "appealed"),
    # The court's open "Other" on the last hearing, nothing set after it: held, result not recorded.
    ("result-not-recorded", rec(H(20, "Continued"), H(34, "Other")), 35, "result_not_recorded"),
]


@pytest.mark.parametrize("record,today,expected", [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES])
def test_status(record: CaseRecord, today: int, expected: str) -> None:
    life = lifecycle(record, d(today))
    assert life.status == expected
    assert life.closed is (expected in CLOSED)
    assert life.unknown_values == ()


def test_every_status_is_reachable() -> None:
    assert {c[3] for c in STATUS_CASES} == set(STATUSES)


@pytest.mark.parametrize("status", STATUSES)
def test_closed_set(status: str) -> None:
    closed = {"dismissed", "non_suited", "judgment_defendant", "writ_executed", "satisfied"}
    assert (status in CLOSED) is (status in closed)


def test_unsatisfied_judgment_is_not_satisfied() -> None:
    life = lifecycle(rec(H(20, "Default Judgment"), judgment=J(satisfied=False)), d(30))
    assert life.status == "judgment_plaintiff"
    assert not life.closed


def test_undated_satisfaction_is_dated_by_the_judgment() -> None:
    # Undated: the satisfaction sits on the judgment's date, so a later writ comes after it.
    life = lifecycle(rec(H(20, "Default Judgment"), judgment=J(writ=32, satisfied=True)), d(33))
    assert life.judgment_date == d(20)
    assert life.status == "writ_issued"


def test_judgment_other_makes_no_event() -> None:
    life = lifecycle(rec(H(20, "Judgment"), judgment=J("Other")), d(21))
    assert life.status == "hearing_scheduled"
    assert life.unknown_values == ()


# ------------------------------------------------------------------- same-day ordering
SAME_DAY_CASES = [
    # A continuance sets the next hearing the same day: result (rank 2) beats the set (rank 1).
    ("continuance-and-next-hearing-set", rec(H(20, "Continued"), H(34)), 25, "continued"),
    ("two-continuances-and-next-set", rec(H(20, "Continued"), H(34, "Continued"), H(48)), 40, "continued"),
    # A motion hearing set after the judgment leaves the judgment's status (issue 13: a lawyer
    # must see the judgment; `hearing_after_judgment` says a hearing follows).
    ("judgment-then-motion-hearing", rec(H(20, "Judgment"), H(30), judgment=J("Plaintiff")), 21,
     "judgment_plaintiff"),
    ("default-judgment-then-motion-hearing", rec(H(20, "Default Judgment"), H(30), judgment=J("Plaintiff")), 21,
     "judgment_plaintiff"),
    # ... and the motion hearing's own result follows in date order.
    ("motion-hearing-dismissed", rec(H(20, "Default Judgment"), H(30, "Dismissed"), judgment=J("Plaintiff")), 31,
     "dismissed"),
    # A writ issued after an appeal wins by date; on one day the appeal (rank 7) wins.
    ("writ-after-appeal", rec(H(20, "Judgment"), judgment=J(writ=40), appeal=25), 41, "writ_issued"),
    ("appeal-after-writ", rec(H(20, "Judgment"), judgment=J(writ=25), appeal=30), 31, "appealed"),
    ("appeal-and-writ-same-day", rec(H(20, "Judgment"), judgment=J(writ=30), appeal=30), 31, "appealed"),
    ("writ-issued-and-executed-same-day", rec(H(20, "Judgment"), judgment=J(writ=30, executed=30)), 31,
     "writ_executed"),
    ("executed-and-satisfied-same-day",
     rec(H(20, "Judgment"), judgment=J(writ=30, executed=40, satisfied=True, satisfied_on=40)), 41, "satisfied"),
    ("dismissed-on-filing-day", rec(H(0, "Dismissed")), 1, "dismissed"),
]


# ----------------------------------------------------------- a result the court left open
OPEN_RESULT_CASES = [
    # Issue 28: "Continued" forever after the court wrote "Other" on the next hearing.
    ("other-after-a-continuance", rec(H(20, "Continued"), H(34, "Other")), 100, "result_not_recorded"),
    ("other-on-the-only-hearing", rec(H(20, "Other")), 21, "result_not_recorded"),
    # A hearing set after it (the court moved on): that hearing is what the case waits for.
    ("other-then-a-hearing-set", rec(H(20, "Other"), H(34)), 25, "hearing_scheduled"),
    ("other-then-continued", rec(H(20, "Other"), H(34, "Continued")), 35, "continued"),
    # A judgment or a later event still decides.
    ("other-with-the-judgment", rec(H(20, "Other"), judgment=J("Plaintiff")), 21, "judgment_plaintiff"),
    ("other-on-a-motion-after-judgment", rec(H(20, "Default Judgment"), H(30, "Other"), judgment=J("Plaintiff")),
     31, "judgment_plaintiff"),
    ("other-then-dismissed", rec(H(20, "Other"), H(34, "Dismissed")), 35, "dismissed"),
]


@pytest.mark.parametrize("record,today,expected", [c[1:] for c in OPEN_RESULT_CASES],
                         ids=[c[0] for c in OPEN_RESULT_CASES])
def test_a_result_the_court_left_open_reads_held_not_recorded(record: CaseRecord, today: int, expected: str) -> None:
    from pipeline.store.statuses import status_words

    life = lifecycle(record, d(today))
    assert life.status == expected and life.closed is (expected in CLOSED)
    if expected == "result_not_recorded":
        assert status_words(life.status) == "Hearing held, result not recorded"


def test_a_hearings_own_result_in_words() -> None:
    from pipeline.lifecycle import hearing_result_words

    assert hearing_result_words("continued", "Cont'd") == "Continued"
    assert hearing_result_words("other", "Other") == "Hearing held, result not recorded"
    assert hearing_result_words("pending", None) == hearing_result_words(None, "") == "No result recorded yet"
    assert hearing_result_words("unknown", "Bench Warrant Issued") == "Bench Warrant Issued"  # the court's words


@pytest.mark.parametrize("record,today,expected", [c[1:] for c in SAME_DAY_CASES], ids=[c[0] for c in SAME_DAY_CASES])
def test_same_day_ordering(record: CaseRecord, today: int, expected: str) -> None:
    assert lifecycle(record, d(today)).status == expected


# ------------------------------------------------------------------- dating the judgment
def test_judgment_shown_on_hearing_day_with_empty_result() -> None:
    # The judgment shows the day of the hearing, before the hearing's result is filled in.
    record = rec(H(20, "Continued"), H(34), judgment=J("Plaintiff"))
    life = lifecycle(record, d(34))
    assert life.judgment_date == d(34)
    assert life.status == "judgment_plaintiff"
    assert life.first_hearing_default is False
    assert life.continuances == 1


def test_judgment_dated_by_last_hearing_on_or_before_today() -> None:
    # No hearing says "Judgment": the last hearing on or before today dates it, not a later one.
    record = rec(H(20, "Continued"), H(34), H(60), judgment=J("Plaintiff"))
    assert lifecycle(record, d(40)).judgment_date == d(34)
    assert lifecycle(record, d(34)).judgment_date == d(34)
    assert lifecycle(record, d(33)).judgment_date == d(20)


def test_judgment_dated_by_last_judgment_hearing() -> None:
    # A post-judgment motion after the judgment does not move the judgment date.
    record = rec(H(20, "Continued"), H(34, "Judgment"), H(45, "Other"), judgment=J("Plaintiff", writ=50))
    life = lifecycle(record, d(60))
    assert life.judgment_date == d(34)
    assert life.days_judgment_to_writ == 16
    assert life.status == "writ_issued"


def test_judgment_with_no_hearing_yet_has_no_date() -> None:
    life = lifecycle(rec(H(20), judgment=J("Plaintiff")), d(10))
    assert life.judgment_date is None
    assert life.status == "hearing_scheduled"


def test_motion_hearing_set_at_a_fallback_dated_judgment() -> None:
    # Hearing day: the judgment shows, the hearing's result is still empty, and a motion hearing
    # was set at the judgment (the two same-day rules above, together).
    record = rec(H(20), H(30), judgment=J("Plaintiff"))
    life = lifecycle(record, d(20))
    assert life.judgment_date == d(20)
    assert life.status == "judgment_plaintiff" and life.hearing_after_judgment and life.next_hearing == d(20)


def test_a_judgment_followed_by_a_motion_hearing_reads_as_both() -> None:
    from pipeline.store.statuses import status_words

    life = lifecycle(rec(H(20, "Default Judgment"), H(30), judgment=J("Plaintiff")), d(21))
    assert (life.status, life.hearing_after_judgment, life.next_hearing) == ("judgment_plaintiff", True, d(30))
    assert status_words(life.status, default=life.any_default, hearing_after_judgment=life.hearing_after_judgment) \
        == "Judgment for landlord (default); a hearing follows (a motion?)"
    plain = lifecycle(rec(H(20, "Judgment"), judgment=J("Plaintiff")), d(21))
    assert not plain.hearing_after_judgment and status_words(plain.status) == "Judgment for landlord"
    assert status_words("hearing_scheduled") == "Hearing set" and status_words(None) == "Not derived yet"


# ------------------------------------------------------------------------------- flags
# (id, record, today offset, expected field values)
FLAG_CASES = [
    ("no-hearings", rec(), 3,
     dict(continuances=0, first_hearing_default=None, any_default=False, days_to_first_hearing=None,
          judgment_date=None, days_judgment_to_writ=None, next_hearing=None)),
    ("first-hearing-pending", rec(H(20)), 10,
     dict(continuances=0, first_hearing_default=None, any_default=False, days_to_first_hearing=20,
          next_hearing=d(20))),
    ("first-hearing-today-not-heard", rec(H(20)), 20,
     dict(first_hearing_default=None, next_hearing=d(20))),
    ("first-hearing-past-result-empty", rec(H(20)), 25,
     dict(first_hearing_default=None, next_hearing=None)),
    ("first-hearing-default", rec(H(24, "Default Judgment"), judgment=J(writ=42)), 50,
     dict(continuances=0, first_hearing_default=True, any_default=True, days_to_first_hearing=24,
          judgment_date=d(24), days_judgment_to_writ=18, next_hearing=None)),
    ("first-hearing-continued-then-default",
     rec(H(20, "Continued"), H(34, "Cont'd"), H(48, "DEFAULT JUDGMENT"), judgment=J()), 50,
     dict(continuances=2, first_hearing_default=False, any_default=True, days_to_first_hearing=20,
          judgment_date=d(48), days_judgment_to_writ=None)),
    ("first-hearing-contested-judgment", rec(H(20, "Judgment"), judgment=J(writ=31)), 40,
     dict(continuances=0, first_hearing_default=False, any_default=False, days_judgment_to_writ=11)),
    ("writ-without-judgment-date", rec(judgment=J(writ=31)), 40,
     dict(judgment_date=None, days_judgment_to_writ=None)),
    ("next-hearing-is-first-pending-on-or-after-today", rec(H(20, "Continued"), H(34), H(48)), 30,
     dict(next_hearing=d(34), continuances=1)),
    ("next-hearing-skips-past-pending", rec(H(20), H(34), H(48)), 35,
     dict(next_hearing=d(48))),
    ("next-hearing-skips-heard-today", rec(H(20, "Continued"), H(34, "Continued"), H(48)), 34,
     dict(next_hearing=d(48), continuances=2)),
    ("next-hearing-none-all-heard", rec(H(20, "Continued"), H(34, "Dismissed")), 21,
     dict(next_hearing=None)),
    ("unknown-first-result-is-not-default", rec(H(20, "Bench Warrant")), 30,
     dict(first_hearing_default=False, continuances=0)),
]


@pytest.mark.parametrize("record,today,expected", [c[1:] for c in FLAG_CASES], ids=[c[0] for c in FLAG_CASES])
def test_flags(record: CaseRecord, today: int, expected: dict[str, object]) -> None:
    life = lifecycle(record, d(today))
    assert {k: getattr(life, k) for k in expected} == expected


def test_flags_dict() -> None:
    life = lifecycle(rec(H(24, "Default Judgment"), judgment=J(writ=42)), d(50))
    assert life.flags() == {"continuances": 0, "first_hearing_default": True, "days_to_first_hearing": 24,
                            "days_judgment_to_writ": 18, "hearing_after_judgment": False}


def test_lifecycle_is_frozen() -> None:
    life = lifecycle(rec(), d(1))
    assert isinstance(life, Lifecycle)
    with pytest.raises(AttributeError):
        life.status = "dismissed"  # type: ignore[misc]


# ------------------------------------------------------------------- unknown vocabulary
UNKNOWN_CASES = [
    ("unknown-hearing-result", rec(H(20, "Bench Warrant Issued")), 25,
     "hearing_scheduled", ("hearing result 'Bench Warrant Issued'",)),
    ("unknown-result-then-continued", rec(H(20, "Transferred"), H(34, "Continued")), 40,
     "continued", ("hearing result 'Transferred'",)),
    ("unknown-judgment", rec(H(20, "Judgment"), judgment=J("Split Decision")), 25,
     "hearing_scheduled", ("judgment 'Split Decision'",)),
    ("unknown-judgment-writ-still-counts", rec(H(20, "Judgment"), judgment=J("???", writ=30)), 31,
     "writ_issued", ("judgment '???'",)),
    ("both-unknown", rec(H(20, "Mystery"), judgment=J("Mystery too")), 25,
     "hearing_scheduled", ("hearing result 'Mystery'", "judgment 'Mystery too'")),
    ("known-values-not-counted", rec(H(20, "continued"), H(30, "Other"), H(40, "Non Suit"), judgment=J("none")), 45,
     "non_suited", ()),
]


@pytest.mark.parametrize("record,today,status,unknown", [c[1:] for c in UNKNOWN_CASES],
                         ids=[c[0] for c in UNKNOWN_CASES])
def test_unknown_values(record: CaseRecord, today: int, status: str, unknown: tuple[str, ...]) -> None:
    life = lifecycle(record, d(today))
    assert life.status == status
    assert life.unknown_values == unknown


# ----------------------------------------------------------------------------- ordering
def test_hearings_out_of_order_are_sorted() -> None:
    in_order = rec(H(20, "Continued"), H(34, "Continued"), H(48))
    shuffled = rec(H(48), H(20, "Continued"), H(34, "Continued"))
    for record in (in_order, shuffled):
        life = lifecycle(record, d(40))
        assert life.status == "continued"
        assert life.first_hearing_default is False
        assert life.days_to_first_hearing == 20
        assert life.next_hearing == d(48)
        assert life.continuances == 2
    assert lifecycle(in_order, d(40)) == lifecycle(shuffled, d(40))


def test_same_day_hearings_sorted_by_time() -> None:
    # Two hearings on one day, given later time first: the earlier one is the first hearing.
    record = rec(H(20, "Dismissed", time="14:00"), H(20, "Default Judgment", time="09:00"))
    life = lifecycle(record, d(21))
    assert life.first_hearing_default is True
    assert life.any_default is True


def test_hearing_without_time_sorts_first_on_its_day() -> None:
    record = rec(H(20, "Dismissed", time="10:00"), H(20, "Continued", time=None))
    life = lifecycle(record, d(21))
    assert life.first_hearing_default is False
    assert life.continuances == 1


def test_today_does_not_change_past_status() -> None:
    record = rec(H(20, "Default Judgment"), judgment=J(writ=32, executed=45))
    assert {lifecycle(record, d(t)).status for t in (46, 100, 1000)} == {"writ_executed"}
