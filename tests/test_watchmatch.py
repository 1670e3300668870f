"""Names as partners write them against names as courts write them."""

from __future__ import annotations

import pytest

from notify.watchmatch import (REVIEW_THRESHOLD, Matcher, Person, Verdict, certain, name_key, name_score, readings,
                               verdict)

COURT = "PEÑA, JOSÉ A"


@pytest.mark.parametrize("written", [
    "Peña, José A", "PENA, JOSE", "José Peña", "Jose A. Pena", "pena jose",  # order, accents, case, initial
    "Pepe Peña",                                                             # a nickname
    "Pena, Jsoe",                                                            # a typo
])
def test_the_same_person_written_another_way_scores_high(written):
    assert name_score(name_key(written), name_key(COURT)) >= REVIEW_THRESHOLD


@pytest.mark.parametrize("other", ["PEÑA, MARIA", "SMITH, JOSE", "GARCIA, LUIS", "PENA, JOSE B"])
def test_another_person_scores_lower(other):
    same = name_score(name_key("Peña, José A"), name_key(COURT))
    assert name_score(name_key(other), name_key(COURT)) < same


def test_nicknames_and_keys():
    bob, robert = name_key("Bob Smith"), name_key("SMITH, ROBERT")
    assert (bob.last, bob.first, bob.nickname, robert.nickname) == ("SMITH", "ROBERT", True, False)
    assert name_key("Liz O'Neil").first == "ELIZABETH" and name_key("Liz O'Neil").last == "O NEIL"
    assert name_key("") is None


def test_only_the_same_zip_code_is_ever_confident():
    assert verdict(100.0, same_zip=True) is Verdict.CONFIDENT
    assert verdict(100.0, same_zip=False) is Verdict.REVIEW  # the same name elsewhere: a person looks
    assert verdict(85.0, same_zip=True) is Verdict.REVIEW
    assert verdict(50.0, same_zip=True) is Verdict.NONE
    assert verdict(100.0, same_zip=True, certain=False) is Verdict.REVIEW
    assert verdict(100.0, same_zip=True, unique=False) is Verdict.REVIEW  # namesakes in one ZIP code
    assert certain(name_key("Ana Ruiz"), name_key("RUIZ, ANA"))
    assert not certain(name_key("Ana M Ruiz"), name_key("RUIZ, ANA"))  # one side gives a middle initial
    assert not certain(name_key("Pat Smith"), name_key("SMITH, PATRICIA"))  # Patricia or Patrick?
    assert not certain(name_key("J Smith"), name_key("SMITH, JANE"))


def test_a_unit_in_the_name_and_new_nicknames_are_read() -> None:
    mark = name_key("MARK ROGERS APT. 297")
    assert (mark.last, mark.first, mark.middle) == ("ROGERS", "MARK", None)
    assert name_key("Nguyen, Paul Apt. 417").middle is None
    assert name_key("Jack Smith").first == "JOHN" and name_key("Jack Smith").nickname


def _matcher(*names: tuple[str, str]) -> Matcher:
    return Matcher(Person(f"H{i}", f"H{i}", name_key(name), zip5) for i, (name, zip5) in enumerate(names))


def test_a_double_surname_matches_either_part_to_review_only() -> None:
    matcher = _matcher(("GRAY, ANTHONY", "20190"), ("WATSON HUGHES, ANA", "22003"), ("LOPEZ, ANTHONY", "20190"))
    found = matcher.propose(name_key("TESFAYE-GRAY, ANTHONY"), "20190")
    assert [(p.ref, p.verdict) for p in found] == [("H0", Verdict.REVIEW)]
    found = matcher.propose(name_key("Ana Hughes"), "22003")  # the reverse: the tenant's is double
    assert [(p.ref, p.verdict) for p in found] == [("H1", Verdict.REVIEW)]
    assert [k.last for k in readings(name_key("Watson Hughes, Ana"))][:2] == ["WATSON", "HUGHES"]


def test_a_first_name_swapped_across_the_comma_is_a_candidate_never_confident() -> None:
    matcher = _matcher(("FOSTER, BETTY", "22310"), ("FOSTER, MARK", "22310"))
    found = matcher.propose(name_key("Betty, Foster"), "22310")
    assert [(p.ref, p.verdict) for p in found] == [("H0", Verdict.REVIEW)]
    assert found[0].reasons[0].startswith("the list's name read another way")
    assert matcher.propose(name_key("Betty, Foster"), "99999") == []  # weak evidence: another ZIP code

