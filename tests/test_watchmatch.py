"""Names as partners write them against names as courts write them: the name keys, and what the
match model (pipeline.linkage) makes of them among a few hundred synthetic tenants, so that how
common a name is means something."""

from __future__ import annotations

import itertools

import pytest

from pipeline.linkage.census import Census
from pipeline.linkage.matcher import Matcher, Person, Verdict
from pipeline.linkage.model import Comparison, Middle, Surname, Weigher, Zip
from pipeline.linkage.names import name_key, readings

COURT = ("PEÑA, JOSÉ A", "22304")
# Synthetic tenants: 512 made-up surnames borne once each, and SMITH borne by 30; middle
# initials and ten ZIP codes as a court writes them. None is like the names tested below.
FIRSTS = ["MARY", "LINDA", "KAREN", "NANCY", "LISA", "DONNA", "CAROL", "SHARON", "PAUL", "MARK", "GEORGE", "KEVIN",
          "BRIAN", "GARY", "ERIC", "LAURA", "HELEN", "RUTH", "DIANE", "FRANK"]
MIDDLES = ["", " A", " B", " C", " D", " E", " J", " L", " M", " R"]
SURNAMES = ["".join(s) for s in itertools.product(["BAL", "DOR", "KEM", "LUN", "VIR", "TOS", "GAV", "NEP"], repeat=3)]
CROWD = ([(f"{last}, {FIRSTS[i % 20]}{MIDDLES[i % 10]}", f"223{i % 10:02d}") for i, last in enumerate(SURNAMES)]
         + [(f"SMITH, {first}{MIDDLES[i % 10]}", f"223{i % 10:02d}") for i, first in enumerate(FIRSTS + FIRSTS[:10])])


def _matcher(*names: tuple[str, str]) -> Matcher:
    """The crowd and these tenants, each a household of its own: H0, H1 ... for these."""
    people = [Person(f"H{i}", f"H{i}", name_key(name), zip5) for i, (name, zip5) in enumerate(names)]
    crowd = [Person(f"C{i}", f"C{i}", name_key(name), zip5) for i, (name, zip5) in enumerate(CROWD)]
    return Matcher(people + crowd)


def _compare(census: Census, row: str, row_zip: str | None, tenant: str, tenant_zip: str | None) -> Comparison:
    return Weigher(census).compare(name_key(row), row_zip, name_key(tenant), tenant_zip)


def _found(matcher: Matcher, written: str, zip5: str | None) -> list[tuple[str, Verdict]]:
    return [(p.ref, p.verdict) for p in matcher.propose(name_key(written), zip5)]


def _probability(matcher: Matcher, written: str, zip5: str | None, ref: str) -> float:
    return max((p.probability for p in matcher.propose(name_key(written), zip5) if p.ref == ref), default=0.0)


def test_nicknames_and_keys():
    bob, robert = name_key("Bob Smith"), name_key("SMITH, ROBERT")
    assert (bob.last, bob.first, bob.nickname, robert.nickname) == ("SMITH", "ROBERT", True, False)
    assert (bob.written_first, robert.written_first) == ("BOB", "ROBERT")
    assert name_key("Liz O'Neil").first == "ELIZABETH" and name_key("Liz O'Neil").last == "O NEIL"
    assert name_key("Peña, José A") == name_key("jose a. pena") == name_key("PENA, JOSE A")
    assert name_key("") is None


def test_a_unit_in_the_name_and_new_nicknames_are_read() -> None:
    mark = name_key("MARK ROGERS APT. 297")
    assert (mark.last, mark.first, mark.middle) == ("ROGERS", "MARK", None)
    assert name_key("Nguyen, Paul Apt. 417").middle is None
    assert name_key("Jack Smith").first == "JOHN" and name_key("Jack Smith").nickname


def test_the_readings_of_a_double_surname_and_a_misplaced_comma():
    assert [k.last for k in readings(name_key("Watson Hughes, Ana"))][:2] == ["WATSON", "HUGHES"]
    swapped = readings(name_key("Betty, Foster"))
    assert [(k.last, k.first, k.nickname) for k in swapped] == [("FOSTER", "ELIZABETH", True)]
    assert [(k.last, k.first) for k in readings(name_key("Bob, Smith"))] == [("SMITH", "ROBERT")]
    assert readings(name_key("Ruiz, Ana")) == []  # no nickname where the surname goes: compared swapped instead


@pytest.mark.parametrize("written", [
    "Peña, José A", "PENA, JOSE", "José Peña", "Jose A. Pena", "pena jose",  # order, accents, case, initial
    "Pepe Peña",                                                             # a nickname
    "Pena, Jsoe",                                                            # a typo
])
def test_the_same_person_written_another_way_is_proposed_for_their_household(written):
    found = _matcher(COURT).propose(name_key(written), COURT[1])
    assert [p.ref for p in found] == ["H0"] and found[0].probability >= 0.7 and found[0].same_zip


@pytest.mark.parametrize("other", ["PEÑA, MARIA", "SMITH, JOSE", "GARCIA, LUIS", "PENA, JOSE B"])
def test_another_person_is_less_likely_the_tenant(other):
    matcher = _matcher(COURT)
    assert _probability(matcher, other, COURT[1], "H0") < _probability(matcher, "Peña, José A", COURT[1], "H0") - 0.1


def test_the_same_surname_weighs_more_when_rare_than_when_common():
    census = Census((name_key(name), zip5) for name, zip5 in CROWD + [("KORVALD, ANNA", "22304"),
                                                                        ("SMITH, ANNA", "22304")])
    rare, common = (_compare(census, name, "22304", name, "22304") for name in ("KORVALD, ANNA", "SMITH, ANNA"))
    assert rare.surname is common.surname is Surname.SAME
    assert (rare.first, rare.middle, rare.zip) == (common.first, common.middle, common.zip)
    assert rare.weight > common.weight + 3  # 1 in 544 against 31 in 544; the first name among fewer SMITHs
    assert rare.evidence(census)[0] == "same surname (rare, 1 in 544)"
    assert common.evidence(census)[0] == "same surname (common, 1 in 18)"
    matcher = _matcher(("KORVALD, ANNA", "22304"), ("SMITH, ANNA", "22304"))
    assert _probability(matcher, "Anna Korvald", "22304", "H0") > _probability(matcher, "Anna Smith", "22304", "H1")


def test_another_zip_code_is_never_confident_and_weighs_less():
    matcher = _matcher(COURT)
    same, other = (matcher.propose(name_key("Peña, José A"), zip5) for zip5 in ("22304", "22399"))
    assert [(p.ref, p.verdict, p.same_zip) for p in same] == [("H0", Verdict.CONFIDENT, True)]
    assert [(p.ref, p.verdict, p.same_zip) for p in other] == [("H0", Verdict.REVIEW, False)]
    assert other[0].probability < same[0].probability
    assert "another ZIP code (22399 on the list, 22304 on the case)" in other[0].evidence
    assert _found(matcher, "Peña, José A", None) == [("H0", Verdict.REVIEW)]  # no ZIP code: nothing confirms it
    weights = [_compare(matcher.census, "Peña, José A", zip5, COURT[0], "22304") for zip5 in ("22304", None, "22399")]
    assert [c.zip for c in weights] == [Zip.SAME, Zip.UNKNOWN, Zip.DIFFERENT]
    assert weights[0].weight > weights[1].weight > weights[2].weight


def test_a_different_middle_initial_lowers_the_weight():
    matcher = _matcher(COURT)
    same, none, other = (_compare(matcher.census, name, "22304", COURT[0], "22304")
                         for name in ("PENA, JOSE A", "PENA, JOSE", "PENA, JOSE B"))
    assert (same.middle, none.middle, other.middle) == (Middle.SAME, Middle.LIST_NONE, Middle.DIFFERENT)
    assert same.weight > none.weight > other.weight + 2
    assert "middle initials differ (B on the list, A on the case)" in other.evidence(matcher.census)
    assert not other.confirms and same.confirms and none.confirms
    assert _found(matcher, "PENA, JOSE B", "22304") == [("H0", Verdict.REVIEW)]


def test_two_households_that_tie_exactly_are_both_proposed_to_review():
    found = _matcher(("RUIZ, ANA", "22305"), ("RUIZ, ANA", "22305")).propose(name_key("Ana Ruiz"), "22305")
    assert [(p.ref, p.verdict) for p in found] == [("H0", Verdict.REVIEW), ("H1", Verdict.REVIEW)]
    assert found[0].probability == found[1].probability < 0.5
    assert all("1 other household fits as well" in p.evidence for p in found)


def test_a_double_surname_matches_either_part_to_review_only() -> None:
    # In ZIP codes of the crowd's: the ZIP code alone does not make them likely.
    matcher = _matcher(("GRAY, ANTHONY", "22306"), ("WATSON HUGHES, ANA", "22303"), ("LOPEZ, ANTHONY", "22306"))
    found = matcher.propose(name_key("TESFAYE-GRAY, ANTHONY"), "22306")
    assert [(p.ref, p.verdict) for p in found] == [("H0", Verdict.REVIEW)]
    assert found[0].evidence[1].startswith("the list's name read another way")
    found = matcher.propose(name_key("Ana Hughes"), "22303")  # the reverse: the tenant's is double
    assert [(p.ref, p.verdict) for p in found] == [("H1", Verdict.REVIEW)]
    assert found[0].evidence[1].startswith("the list's name read another way")
    assert found[0].probability >= 0.7  # likely, and still to review: it was read another way


def test_a_first_name_swapped_across_the_comma_is_a_candidate_never_confident() -> None:
    matcher = _matcher(("FOSTER, BETTY", "22310"), ("FOSTER, MARK", "22310"))
    found = matcher.propose(name_key("Betty, Foster"), "22310")
    assert [(p.ref, p.verdict) for p in found] == [("H0", Verdict.REVIEW)]
    assert any(e.startswith("the list's name read another way") for e in found[0].evidence)
    assert matcher.propose(name_key("Betty, Foster"), "99999") == []  # weak evidence: another ZIP code


@pytest.mark.parametrize("nobody", ["Vorhansen, Tilde", "Quill, Ambrose", "Zeller, Odette M"])
def test_a_person_never_sued_whose_name_fits_no_tenant_gets_nothing(nobody):
    assert _matcher(COURT, ("SMITH, ROBERT", "22311")).propose(name_key(nobody), "22304") == []


def test_the_evidence_reads_as_a_reviewer_checks_it():
    found = _matcher(COURT, ("SMITH, ROBERT", "22311")).propose(name_key("Bob Smith"), "22311")
    assert [(p.ref, p.verdict) for p in found] == [("H1", Verdict.CONFIDENT)]
    assert found[0].evidence == ("same surname (common, 1 in 18)", "first name a nickname of ROBERT",
                                 "no middle initial on the list", "same ZIP code")
    assert found[0].score == round(100 * found[0].probability, 1) >= 70  # the probability goes as the score


def test_a_different_middle_initial_among_few_tenants_weighs_less_than_none():
    matcher = Matcher([Person("H0", "H0", name_key("PENA, JOSE A"), "22304"),
                       Person("H1", "H1", name_key("SMITH, ROBERT"), "22311")])
    other, none = (_compare(matcher.census, name, "22304", "PENA, JOSE A", "22304")
                   for name in ("Jose B Pena", "Jose Pena"))
    assert (other.middle, none.middle) == (Middle.DIFFERENT, Middle.LIST_NONE)
    assert other.weight < none.weight  # one tenant in two has another initial than B: u is 1/2


def test_the_evidence_of_names_written_the_other_way_round_names_the_surname():
    found = _matcher(("SMITH, ANNA", "22304")).propose(name_key("smith anna"), "22304")  # read as ANNA SMITH
    assert [p.ref for p in found] == ["H0"]
    assert "first and last names the other way round" in found[0].evidence
    assert found[0].evidence[0] == "same surname (common, 1 in 18)" and "first name ANNA" in found[0].evidence
