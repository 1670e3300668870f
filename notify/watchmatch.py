"""Whether a person on a partner's watch list is a tenant in a case: names compared as people
write them — typos, nicknames, `LAST, FIRST` or `FIRST LAST`, accents dropped, a middle
initial there or not — scored with rapidfuzz, and judged with the ZIP code.

A match is "confident" only at or above the auto threshold, with the same ZIP code, with no
doubt about the middle initial (the same on both sides, or on neither) or the first name (not an
initial, not a nickname: PAT is Patricia or Patrick), and with no other household of that name
scoring as high. Anything else at or above the review threshold is "to review": a person looks
before anyone acts on it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from pipeline.normalize.names import parse_person
from pipeline.normalize.text import ascii_fold

AUTO_THRESHOLD = 92.0
REVIEW_THRESHOLD = 80.0

# Common English and Spanish given names and what they are short for (both folded to ASCII).
NICKNAMES = {
    "BOB": "ROBERT", "BOBBY": "ROBERT", "ROB": "ROBERT", "ROBBIE": "ROBERT", "BILL": "WILLIAM", "BILLY": "WILLIAM",
    "WILL": "WILLIAM", "LIZ": "ELIZABETH", "BETH": "ELIZABETH", "BETTY": "ELIZABETH", "LIZZIE": "ELIZABETH",
    "JIM": "JAMES", "JIMMY": "JAMES", "JAMIE": "JAMES", "MIKE": "MICHAEL", "MIKEY": "MICHAEL", "DAVE": "DAVID",
    "TOM": "THOMAS", "TOMMY": "THOMAS", "DICK": "RICHARD", "RICK": "RICHARD", "RICH": "RICHARD", "JOE": "JOSEPH",
    "JOEY": "JOSEPH", "CHRIS": "CHRISTOPHER", "DAN": "DANIEL", "DANNY": "DANIEL", "TONY": "ANTHONY",
    "KATE": "KATHERINE", "KATIE": "KATHERINE", "KATHY": "KATHERINE", "CATHY": "CATHERINE", "SUE": "SUSAN",
    "SUSIE": "SUSAN", "PATTY": "PATRICIA", "PAT": "PATRICIA", "TRISH": "PATRICIA", "JEN": "JENNIFER",
    "JENNY": "JENNIFER", "JESS": "JESSICA", "MATT": "MATTHEW", "STEVE": "STEVEN", "GREG": "GREGORY",
    "ANDY": "ANDREW", "DREW": "ANDREW", "KEN": "KENNETH", "KENNY": "KENNETH", "DEBBIE": "DEBORAH", "DEB": "DEBORAH",
    "MANDY": "AMANDA", "SAM": "SAMUEL", "BEN": "BENJAMIN", "NICK": "NICHOLAS", "TONI": "ANTONIA", "ED": "EDWARD",
    "EDDIE": "EDWARD", "TED": "EDWARD", "CHUCK": "CHARLES", "CHARLIE": "CHARLES", "MEG": "MARGARET",
    "PEGGY": "MARGARET", "MAGGIE": "MARGARET", "ABBY": "ABIGAIL", "ASH": "ASHLEY", "NATE": "NATHAN", "TIM": "TIMOTHY",
    "LARRY": "LAWRENCE", "JERRY": "GERALD", "TERRY": "TERRENCE", "RAY": "RAYMOND", "RON": "RONALD",
    "DON": "DONALD", "DONNIE": "DONALD", "SANDY": "SANDRA", "CINDY": "CYNTHIA", "VICKY": "VICTORIA",
    "PEPE": "JOSE", "CHEPE": "JOSE", "PACO": "FRANCISCO", "PANCHO": "FRANCISCO", "CHUY": "JESUS", "LUPE": "GUADALUPE",
    "LALO": "EDUARDO", "MEMO": "GUILLERMO", "BETO": "ALBERTO", "TITO": "ALBERTO", "NACHO": "IGNACIO",
    "CHELO": "CONSUELO", "CONCHA": "CONCEPCION", "LOLA": "DOLORES", "LOLITA": "DOLORES", "CHAYO": "ROSARIO",
    "MAYRA": "MAYRA", "TERE": "TERESA", "MARU": "MARIA", "LUCHO": "LUIS", "QUIQUE": "ENRIQUE", "RICO": "RICARDO",
    "TONO": "ANTONIO", "TOÑO": "ANTONIO", "JUANITA": "JUANA", "ROSY": "ROSA", "ALEX": "ALEJANDRO",
}
_KEEP = re.compile(r"[^A-Z ]+")


class Verdict(StrEnum):
    CONFIDENT = "confident"
    REVIEW = "to review"
    NONE = "no match"


@dataclass(frozen=True, slots=True)
class NameKey:
    last: str
    first: str
    middle: str | None
    nickname: bool = False  # the first name was a nickname, read as the name it is short for

    @property
    def first_certain(self) -> bool:
        """A whole given name as written: not an initial, not a nickname (PAT: Patricia or Patrick?)."""
        return len(self.first) > 1 and not self.nickname


def name_key(text: str) -> NameKey | None:
    """A person's name, either order, folded: `"Peña, José A."` and `"Jose A Pena"` agree."""
    person = parse_person(text)
    if person is None or not person.last:
        return None
    fold = lambda value: " ".join(_KEEP.sub(" ", ascii_fold(value or "").upper()).split())  # noqa: E731
    first = fold(person.first)
    full = NICKNAMES.get(first, first)
    return NameKey(fold(person.last), full, fold(person.middle)[:1] or None, nickname=full != first)


def name_score(a: NameKey, b: NameKey) -> float:
    """0-100: last names weigh more than first names; the names swapped are tried too (a list
    may hold `FIRST LAST` where the court wrote `LAST, FIRST` and the parser could not tell)."""
    def score(x: NameKey, y: NameKey) -> float:
        last = fuzz.ratio(x.last, y.last)
        if x.first == y.first:
            first = 100.0
        elif x.first and y.first and (len(x.first) == 1 or len(y.first) == 1):
            first = 85.0 if x.first[0] == y.first[0] else 0.0  # an initial
        else:
            first = fuzz.ratio(x.first, y.first)
        total = 0.6 * last + 0.4 * first
        if x.middle and y.middle and x.middle != y.middle:
            total -= 10.0  # another middle initial: likely another person
        return total

    swapped = NameKey(b.first, b.last, b.middle, b.nickname)
    return max(score(a, b), score(a, swapped))


def middles_agree(a: NameKey, b: NameKey) -> bool:
    return a.middle == b.middle


def certain(a: NameKey, b: NameKey) -> bool:
    """Nothing about the two names leaves room for another person of that name: the middle
    initials agree and both first names are whole names, not initials or nicknames."""
    return middles_agree(a, b) and a.first_certain and b.first_certain


def verdict(score: float, same_zip: bool, *, certain: bool = True, unique: bool = True,
            auto: float = AUTO_THRESHOLD, review: float = REVIEW_THRESHOLD) -> Verdict:
    """`certain`: see certain(); `unique`: no other household scores as high (namesakes in one
    ZIP code are for a person to tell apart)."""
    if score >= auto and same_zip and certain and unique:
        return Verdict.CONFIDENT
    if score >= review:
        return Verdict.REVIEW
    return Verdict.NONE


# A last name this unlike both of an entry's names cannot reach the review threshold (last
# names weigh 0.6): candidates are found in C first, then scored one by one.
_CANDIDATE_CUTOFF = 60


@dataclass(frozen=True, slots=True)
class Person:
    """A tenant as a case names them: `ref` is what a match reports back (court, case number)."""

    ref: Hashable
    household: str  # the cases of one household are one person
    key: NameKey
    zip5: str | None


@dataclass(frozen=True, slots=True)
class Proposal:
    ref: Hashable
    score: float
    verdict: Verdict
    same_zip: bool
    reasons: tuple[str, ...]  # why a person must look (empty when confident)


class Matcher:
    """The tenants of the cases, indexed once; `propose` for each watch-list name."""

    def __init__(self, people: Iterable[Person], *, auto: float = AUTO_THRESHOLD,
                 review: float = REVIEW_THRESHOLD) -> None:
        self.people = list(people)
        self.auto, self.review = auto, review
        self._by_last: dict[str, list[int]] = {}
        self._by_first: dict[str, list[int]] = {}
        for i, person in enumerate(self.people):
            self._by_last.setdefault(person.key.last, []).append(i)
            if person.key.first:
                self._by_first.setdefault(person.key.first, []).append(i)
        self._lasts, self._firsts = list(self._by_last), list(self._by_first)

    def _near(self, key: NameKey) -> set[int]:
        near: set[int] = set()
        names = [n for n in (key.last, key.first) if n]
        for pool, index, queries in ((self._lasts, self._by_last, names), (self._firsts, self._by_first, [key.last])):
            if not pool:
                continue
            scores = process.cdist(queries, pool, scorer=fuzz.ratio, score_cutoff=_CANDIDATE_CUTOFF)
            for column in set(scores.nonzero()[1].tolist()):
                near.update(index[pool[column]])
        return near

    def propose(self, key: NameKey, zip5: str | None) -> list[Proposal]:
        """The cases of the household(s) this name fits best, at or above the review threshold.
        Only the best: a weaker household beside it would be a reviewer's noise (HARRIS, ISAAC
        beside HARRIS, SARAH). Confident only when one household is best."""
        scored = [(name_score(key, self.people[i].key), self.people[i]) for i in self._near(key)]
        scored = [(score, person) for score, person in scored if score >= self.review]
        best: dict[str, float] = {}
        for score, person in scored:
            best[person.household] = max(score, best.get(person.household, 0.0))
        top = max(best.values(), default=0.0)
        unique = sum(1 for s in best.values() if s == top) == 1
        proposals = []
        for score, person in sorted(scored, key=lambda sp: -sp[0]):
            if best[person.household] < top:
                continue
            same_zip = zip5 is not None and person.zip5 == zip5
            alone = unique
            sure = certain(key, person.key)
            found = verdict(score, same_zip, certain=sure, unique=alone, auto=self.auto, review=self.review)
            reasons = () if found is Verdict.CONFIDENT else _reasons(key, person, score, zip5, same_zip, alone,
                                                                     self.auto)
            proposals.append(Proposal(person.ref, score, found, same_zip, reasons))
        return proposals


def _reasons(key: NameKey, person: Person, score: float, zip5: str | None, same_zip: bool, alone: bool,
             auto: float) -> tuple[str, ...]:
    other = person.key
    reasons = []
    if score < auto:
        reasons.append("the names differ")
    if not same_zip:
        reasons.append("another ZIP code" if zip5 and person.zip5 else "no ZIP code to compare")
    if not middles_agree(key, other):
        reasons.append("middle initials differ" if key.middle and other.middle else "a middle initial on one side only")
    if not (key.first_certain and other.first_certain):
        reasons.append("a nickname or an initial")
    if not alone:
        reasons.append("another household of this name")
    return tuple(reasons)
