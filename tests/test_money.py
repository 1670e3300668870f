"""Money read as each portal writes it, or not at all: an amount in any other shape is left null
and counted as an unread value, never guessed at and never a traceback (issue 27 point 2)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.courts.tyler_odyssey.parse import FINANCIAL_MONEY, JUDGMENT_MONEY
from scraper.courts.tyler_odyssey.register import _Event, _principal, parse_register
from scraper.courts.tyler_odyssey.sim.pages import _money as odyssey_sim_money
from scraper.courts.va_gdc.markup import MONEY as VA_MONEY
from scraper.courts.va_gdc.markup import parse_money
from scraper.courts.va_gdc.parse import describe_page
from scraper.courts.va_gdc.sim.pages import fmt_money as va_sim_money
from scraper.money import MoneyFormat, format_amount, read_amount
from scraper.pagetext import norm

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
VA_PAGE = GOLDEN / "va-gdc" / "hand-detail-judgment-writ.html"
VA_PRINCIPAL = "$12,480.55"
ODYSSEY_PAGE = GOLDEN / "tyler-odyssey" / "sim-detail-default-judgment.html"
ODYSSEY_JUDGMENT = "Judgment of $ 2,377.53"
URL = "https://portal.example.invalid/CaseDetail.aspx?CaseID=1"
PROPERTY = settings(max_examples=400, derandomize=True, deadline=None, database=None)

# The review's examples, and the other shapes no portal prints.
NOT_AMOUNTS = [
    "$1,000 - $2,000", "$1,000.00 - $2,000.00", "$6.557,21", "$12.345", "1E3", "$1E3", "NaN", "$NaN", "sNaN",
    "Infinity", "-Infinity", "$1,250.00 $2,000.00", "$12,48.55", "$1,2345.00", "$1250.00", "$01.00", "$.50",
    "$1,250.0", "$1,250.", "$-1,250.00", "-$1,250.00", "$1,250.00-", "USD 1,250.00", "$1,250.00 USD", "N/A",
    "$1,250.00 plus costs", "$1 ,250.00", "$1,250 .00", "$\u0661\u0662.00", "$1_000.00", "$1,000,000,000,000.00",
    "$$1.00", "1.477,90",
]
VA_ONLY_REFUSED = ["1,250.00", "(1,250.00)", "$(1,250.00)", "$1,250"]  # no `$`, a credit, whole dollars


# --- Virginia: `$1,250.00` -----------------------------------------------------------------


@pytest.mark.parametrize("text", NOT_AMOUNTS + VA_ONLY_REFUSED)
def test_virginia_refuses_what_the_portal_does_not_print_and_counts_it(text: str) -> None:
    problems: list[str] = []
    assert parse_money(text, problems, "principal") is None
    assert problems == ["unreadable:principal"]


@pytest.mark.parametrize("text, value", [
    ("$1,250.00", "1250.00"), ("$0.00", "0.00"), ("$12,480.55", "12480.55"), ("$ 1,250.00", "1250.00"),
    ("  $86.00 ", "86.00"), ("$999,999,999,999.99", "999999999999.99"),
])
def test_virginia_reads_the_portals_format(text: str, value: str) -> None:
    problems: list[str] = []
    assert parse_money(text, problems, "costs") == Decimal(value)
    assert problems == []


@pytest.mark.parametrize("text", ["", "   ", None])
def test_virginia_empty_cell_is_no_amount_and_no_problem(text: str | None) -> None:
    problems: list[str] = []
    assert parse_money(text, problems, "costs") is None
    assert problems == []


def _va_page(principal: str) -> str:
    html = VA_PAGE.read_text(encoding="utf-8")
    assert html.count(VA_PRINCIPAL) == 1
    return html.replace(VA_PRINCIPAL, principal)


@pytest.mark.parametrize("principal", ["$6.557,21", "$1,000 - $2,000", "NaN", "1E3", "Infinity"])
def test_virginia_page_with_unreadable_principal_keeps_it_null_and_listed(principal: str) -> None:
    described = describe_page(_va_page(principal), URL)
    assert "error" not in described
    assert described["case"]["judgment"]["principal"] is None
    assert described["case"]["judgment"]["costs"] == "86.00"  # the other amounts still read
    assert "unreadable:principal" in described["unknown_fields"]


@pytest.mark.parametrize("principal", ["$6.557,21", "$1,000 - $2,000", "NaN"])
def test_cli_parse_prints_null_principal_for_an_unreadable_amount(tmp_path: Path, principal: str) -> None:
    page = tmp_path / "case.html"
    page.write_text(_va_page(principal), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "evictwatch.commands.app", "parse", "va-gdc", str(page)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["case_number"] == "GV26001234-00"
    assert data["judgment"]["principal"] is None
    assert data["judgment"]["costs"] == "86.00"


# --- Tyler Odyssey: `Judgment of $ 1,477.90`; financial `1,250.00`, credits `(1,250.00)` ----


def _odyssey_record(judgment_line: str):
    html = ODYSSEY_PAGE.read_text(encoding="utf-8")
    assert html.count(ODYSSEY_JUDGMENT) == 1
    return parse_register(html.replace(ODYSSEY_JUDGMENT, judgment_line), URL)


@pytest.mark.parametrize("amount", NOT_AMOUNTS + ["$ 1.477,90", "$ 1,000.00 - $ 2,000.00", "1,477.90", "$ 1,477",
                                    "-1,250.00", "(1,250.00)", ".50"])
def test_odyssey_refuses_a_judgment_amount_whole_and_counts_it(amount: str) -> None:
    stated = amount if amount[:1] == "$" or not amount[:1].isalpha() else f"$ {amount}"  # `of NaN`: no amount
    record = _odyssey_record(f"Judgment of {stated}")
    assert record.judgment is not None and record.judgment.judgment == "Plaintiff"
    assert record.judgment.principal is None
    assert "unreadable:principal" in record.unknown_fields


@pytest.mark.parametrize("line, value", [
    ("Judgment of $ 1,477.90", "1477.90"), ("Judgment of $1,477.90", "1477.90"), ("Judgment of $ 0.00", "0.00"),
    ("Judgment of $ 12,480.55", "12480.55"),
])
def test_odyssey_reads_the_registers_judgment_amount(line: str, value: str) -> None:
    record = _odyssey_record(line)
    assert record.judgment is not None and record.judgment.principal == Decimal(value)
    assert not [f for f in record.unknown_fields if f.startswith("unreadable")]


def test_odyssey_amount_on_one_line_with_awarded_to_is_read_up_to_it() -> None:
    record = _odyssey_record("Judgment of $ 2,050.00 Awarded To: Oak Hollow Apartments, L.P.")
    assert record.judgment is not None and record.judgment.principal == Decimal("2050.00")


@pytest.mark.parametrize("line", ["Judgment for possession", "Judgment of Possession"])
def test_odyssey_disposition_without_amount_is_null_and_not_counted(line: str) -> None:
    record = _odyssey_record(line)
    assert record.judgment is not None and record.judgment.principal is None
    assert "unreadable:principal" not in record.unknown_fields


def test_odyssey_two_different_amounts_are_unread() -> None:
    record = _odyssey_record("Judgment of $ 1,000.00<br>Judgment of $ 2,000.00")
    assert record.judgment is not None and record.judgment.principal is None
    assert "unreadable:principal" in record.unknown_fields


@pytest.mark.parametrize("text, value", [
    ("1,250.00", "1250.00"), ("(1,250.00)", "-1250.00"), ("0.00", "0.00"), ("(86.00)", "-86.00"),
])
def test_odyssey_financial_amounts_print_without_dollar_and_credits_in_parentheses(text: str, value: str) -> None:
    assert read_amount(text, FINANCIAL_MONEY) == Decimal(value)


@pytest.mark.parametrize("text", NOT_AMOUNTS + ["$1,250.00", "-1,250.00", "((1,250.00))", "(1,250.00", "1,250.00)"])
def test_odyssey_financial_refuses_other_shapes(text: str) -> None:
    assert read_amount(text, FINANCIAL_MONEY) is None


def test_credits_only_where_the_format_prints_them() -> None:
    assert read_amount("(1,250.00)", VA_MONEY) is None
    assert read_amount("$ (1,250.00)", JUDGMENT_MONEY) is None
    with pytest.raises(ValueError, match="prints no credits"):
        format_amount(Decimal("-1.00"), VA_MONEY)


# --- properties ------------------------------------------------------------------------------

CENTS = st.integers(min_value=0, max_value=10**11 - 1).map(lambda c: Decimal(c).scaleb(-2))
SIGNED_CENTS = st.integers(min_value=-(10**11 - 1), max_value=10**11 - 1).map(lambda c: Decimal(c).scaleb(-2))
# Text near an amount (the characters amounts and their misprints are made of) and any text at all.
NEAR = st.text(alphabet="$0123456789,.() -eENaIfity\u00a0\u0661", max_size=24)
TEXT = st.one_of(NEAR, st.text(max_size=40))


def _spaceless(text: str) -> str:
    return re.sub(r"\s+", "", text)


@PROPERTY
@given(CENTS)
def test_virginia_reads_back_every_amount_the_portal_prints(value: Decimal) -> None:
    problems: list[str] = []
    printed = va_sim_money(value)
    assert printed == format_amount(value, VA_MONEY)
    read = parse_money(printed, problems, "principal")
    assert read == value and str(read) == str(value) and problems == []


@PROPERTY
@given(CENTS)
def test_odyssey_reads_back_every_judgment_amount_the_register_prints(value: Decimal) -> None:
    printed = f"$ {value:,.2f}"  # as the register (and its simulator) print it
    assert printed == format_amount(value, JUDGMENT_MONEY)
    unknown: list[str] = []
    read = _principal(_Event(dt.date(2026, 11, 2), "Default Judgment", [f"Judgment of {printed}"]), unknown)
    assert read == value and str(read) == str(value) and unknown == []


@PROPERTY
@given(SIGNED_CENTS)
def test_odyssey_reads_back_every_financial_amount_the_register_prints(value: Decimal) -> None:
    printed = odyssey_sim_money(value)
    assert printed == format_amount(value, FINANCIAL_MONEY)
    assert read_amount(printed, FINANCIAL_MONEY) == value


@PROPERTY
@given(TEXT)
def test_virginia_reads_any_text_as_the_portals_amount_or_counts_it(text: str) -> None:
    problems: list[str] = []
    read = parse_money(text, problems, "principal")
    if read is not None:
        assert _spaceless(format_amount(read, VA_MONEY)) == _spaceless(norm(text)) and problems == []
    else:
        assert problems == (["unreadable:principal"] if norm(text) else [])


@PROPERTY
@given(TEXT.filter(lambda t: "awarded" not in t.lower() and "judgment" not in t.lower()))
def test_odyssey_reads_any_judgment_text_as_the_registers_amount_or_counts_it(text: str) -> None:
    line = norm(f"Judgment of {text}")
    unknown: list[str] = []
    read = _principal(_Event(dt.date(2026, 11, 2), "Default Judgment", [line]), unknown)
    stated = line[len("Judgment of"):].strip()
    if read is not None:
        assert _spaceless(format_amount(read, JUDGMENT_MONEY)) == _spaceless(stated) and unknown == []
    elif stated and not re.match(r"[A-Za-z]", stated):
        assert unknown == ["unreadable:principal"]
    else:
        assert unknown == []


@PROPERTY
@given(TEXT, st.sampled_from([VA_MONEY, JUDGMENT_MONEY, FINANCIAL_MONEY, MoneyFormat(symbol="€")]))
def test_any_text_is_one_amount_in_the_format_or_none(text: str, money_format: MoneyFormat) -> None:
    read = read_amount(text, money_format)
    if read is not None:
        assert _spaceless(format_amount(read, money_format)) == _spaceless(text)
