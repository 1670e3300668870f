"""Names as partners write them against names as courts write them."""

from __future__ import annotations

import pytest

from notify.watchmatch import REVIEW_THRESHOLD, Verdict, certain, name_key, name_score, verdict

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
