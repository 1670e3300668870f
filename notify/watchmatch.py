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
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.normalize.names import parse_person, strip_unit, surname_parts
from pipeline.normalize.text import ascii_fold

AUTO_THRESHOLD = 92.0
REVIEW_THRESHOLD = 80.0
LAST_WEIGHT, FIRST_WEIGHT = 0.6, 0.4
INITIAL_SCORE = 85.0  # an initial against a first name that begins with it
MIDDLE_PENALTY = 10.0

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
    "JACK": "JOHN", "JOHNNY": "JOHN", "HANK": "HENRY", "BECKY": "REBECCA", "FRED": "FREDERICK", "FREDDY": "FREDERICK",
    "ALF": "ALFRED", "AL": "ALBERT", "VAL": "VALERIE", "STEPH": "STEPHANIE", "WALLY": "WALTER", "PHIL": "PHILIP",
}
ANOTHER_READING = "the list's name read another way (a double surname in part, or first and last swapped)"
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
    written_first: str = field(default="", compare=False)  # the first name as written (before nicknames)

    @property
    def first_certain(self) -> bool:
        """A whole given name as written: not an initial, not a nickname (PAT: Patricia or Patrick?)."""
        return len(self.first) > 1 and not self.nickname


def name_key(text: str) -> NameKey | None:
    """A person's name, either order, folded: `"Peña, José A."` and `"Jose A Pena"` agree."""
    person = parse_person(strip_unit(text))
    if person is None or not person.last:
        return None
    fold = lambda value: " ".join(_KEEP.sub(" ", ascii_fold(value or "").upper()).split())  # noqa: E731
    first = fold(person.first)
    full = NICKNAMES.get(first, first)
    return NameKey(fold(person.last), full, fold(person.middle)[:1] or None, nickname=full != first,
                   written_first=first)


def readings(key: NameKey) -> list[NameKey]:
    """Other ways to read a list's name, tried when it fits no one as read: each part of a
    double surname, and the first name and surname swapped across the comma (`Betty, Foster`)."""
    out = [replace(key, last=part) for part in surname_parts(key.last)]
    if len(key.written_first) > 1 and key.written_first != key.last:
        first = NICKNAMES.get(key.last, key.last)
        out.append(NameKey(key.written_first, first, key.middle, first != key.last, key.last))
    return out


def name_score(a: NameKey, b: NameKey) -> float:
    """0-100: last names weigh more than first names; the names swapped are tried too (a list
    may hold `FIRST LAST` where the court wrote `LAST, FIRST` and the parser could not tell)."""
    def score(x: NameKey, y: NameKey) -> float:
        last = fuzz.ratio(x.last, y.last)
        if x.first == y.first:
            first = 100.0
        elif x.first and y.first and (len(x.first) == 1 or len(y.first) == 1):
            first = INITIAL_SCORE if x.first[0] == y.first[0] else 0.0  # an initial
        else:
            first = fuzz.ratio(x.first, y.first)
        total = LAST_WEIGHT * last + FIRST_WEIGHT * first
        if x.middle and y.middle and x.middle != y.middle:
            total -= MIDDLE_PENALTY  # another middle initial: likely another person
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
    """The tenants of the cases, indexed once; `propose_all` for a batch of watch-list names.

    A pair of names reaches the review threshold only if one of two last names, given a last
    name's weight, is alike enough that a perfect first name could lift it there: the list's
    last name against the tenant's last name, or (the names swapped) against the tenant's first
    name. Those tenants are found by comparing distinct names in C, once per last name on the
    list; the names of one last name are then scored against them in arrays, exactly as
    name_score scores one pair, and only pairs at or above the threshold are looked at further.
    """

    def __init__(self, people: Iterable[Person], *, auto: float = AUTO_THRESHOLD,
                 review: float = REVIEW_THRESHOLD, split: bool = True) -> None:
        self.people = list(people)
        # The tenants of a double surname under each part, for names that fit no one as read.
        parts = [Person(p.ref, p.household, replace(p.key, last=part), p.zip5)
                 for p in self.people for part in surname_parts(p.key.last)] if split else []
        self._split = Matcher(parts, auto=auto, review=review, split=False) if parts else None
        self.auto, self.review = auto, review
        # The least a last name may score for the pair to reach the threshold with a perfect
        # first name (a hair lower: the score is a float).
        self._cutoff = max(0.0, (review - 100 * FIRST_WEIGHT) / LAST_WEIGHT - 1e-6)
        lasts: dict[str, int] = {}
        firsts: dict[str, int] = {}
        last_of = [lasts.setdefault(p.key.last, len(lasts)) for p in self.people]
        first_of = [firsts.setdefault(p.key.first, len(firsts)) for p in self.people]
        self._lasts, self._firsts = _Bearers(list(lasts), last_of), _Bearers(list(firsts), first_of)
        self._middle_codes: dict[str, int] = {}
        self._middles = np.array([self._middle_code(p.key.middle, add=True) for p in self.people], dtype=np.int64)
        # Per last name on the list, the tenants' names near it, and the tenants who may fit it:
        # for the last names met lately only, so that it stays small whatever the list's size.
        self._near: OrderedDict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
        self._candidates = lru_cache(maxsize=_CANDIDATES_KEPT)(self._candidates_of)

    def propose(self, key: NameKey, zip5: str | None) -> list[Proposal]:
        """propose_all for one name."""
        return self.propose_all([(key, zip5)])[0]

    def _middle_code(self, middle: str | None, *, add: bool = False) -> int:
        """0: no middle initial; -1: one no tenant has; else the same number for the same initial."""
        if not middle:
            return 0
        return self._middle_codes.setdefault(middle, len(self._middle_codes) + 1) if add \
            else self._middle_codes.get(middle, -1)

    def propose_all(self, names: Sequence[tuple[NameKey, str | None]]) -> list[list[Proposal]]:
        """_propose_read, and for a name that fits no one as read, its other readings (see
        readings(); and the tenants of a double surname under each part): only to review."""
        found = self._propose_read(names)
        again = [i for i, proposals in enumerate(found) if not proposals]
        tries = [(i, reading) for i in again for reading in readings(names[i][0])]
        results = list(zip([i for i, _ in tries], self._propose_read([(r, names[i][1]) for i, r in tries])))
        if self._split is not None and again:
            tries += [(i, names[i][0]) for i in again]
            results += zip([i for i, _ in tries], self._split._propose_read([(r, names[i][1]) for i, r in tries]))
        for i, proposals in results:  # as strong as a confident match would need, bar the certainty
            found[i].extend(p for p in proposals if p.score >= self.auto and (p.same_zip or names[i][1] is None))
        for i in again:
            top = max((p.score for p in found[i]), default=0.0)
            kept = {p.ref: p for p in reversed(found[i]) if p.score == top}
            found[i] = [Proposal(p.ref, p.score, Verdict.REVIEW, p.same_zip, (ANOTHER_READING, *p.reasons))
                        for p in reversed(kept.values())]
        return found

    def _propose_read(self, names: Sequence[tuple[NameKey, str | None]]) -> list[list[Proposal]]:
        """For each (name, ZIP code): the cases of the household(s) it fits best, at or above
        the review threshold. Only the best: a weaker household beside it would be a reviewer's
        noise (HARRIS, ISAAC beside HARRIS, SARAH). Confident only when one household is best."""
        by_last: dict[str, list[int]] = {}
        for i, (key, _) in enumerate(names):
            by_last.setdefault(key.last, []).append(i)
        self._compare([last for last in by_last if last not in self._near])
        scored: list[list[tuple[float, Person]]] = [[] for _ in names]
        for last, members in by_last.items():
            found = self._candidates(last)
            if not len(found.people):
                continue
            middles = np.array([self._middle_code(names[i][0].middle) for i in members], dtype=np.int64)
            scores = found.scores([names[i][0].first for i in members], middles, self._middles[found.people])
            for row, column in zip(*np.nonzero(scores >= self.review)):
                scored[members[row]].append((float(scores[row, column]), self.people[found.people[column]]))
        return [self._choose(key, zip5, pairs) if pairs else [] for (key, zip5), pairs in zip(names, scored)]

    def _choose(self, key: NameKey, zip5: str | None, scored: list[tuple[float, Person]]) -> list[Proposal]:
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

    def _compare(self, lasts: list[str]) -> None:
        """The tenants' names near each of these last names (with their scores), kept for the
        last names met lately: a batch's last names are compared at once, on every core."""
        for start in range(0, len(lasts), _COMPARED_AT_ONCE):
            part = lasts[start:start + _COMPARED_AT_ONCE]
            as_last, as_first = self._lasts.scores(part, self._cutoff), self._firsts.scores(part, self._cutoff)
            for i, last in enumerate(part):
                near_lasts = np.flatnonzero(as_last[i] >= self._cutoff)
                near_firsts = np.flatnonzero(as_first[i] >= self._cutoff)
                self._near[last] = (near_lasts, as_last[i, near_lasts], near_firsts, as_first[i, near_firsts])
                if len(self._near) > _NEAR_KEPT:
                    self._near.popitem(last=False)

    def _candidates_of(self, last: str) -> _Candidates:
        if last not in self._near:
            self._compare([last])
        near_lasts, last_scores, near_firsts, swapped_scores = self._near[last]
        by_last, last_scores = self._lasts.bearers(near_lasts, last_scores)
        by_first, swapped_scores = self._firsts.bearers(near_firsts, swapped_scores)
        return _Candidates(np.union1d(by_last, by_first), by_last, last_scores, by_first, swapped_scores,
                           self._lasts, self._firsts)


# Last names compared with the tenants' names in one call (a matrix of this many rows), and
# how many last names' near names, and candidates, are kept for the next batches of the list
# (a list read by last name needs each for one batch only).
_COMPARED_AT_ONCE = 256
_NEAR_KEPT = 10_000
_CANDIDATES_KEPT = 256


class _Spellings:
    """Distinct names, to be compared with first names."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._text = np.array(names, dtype=str)
        self._lengths = np.array([len(n) for n in names], dtype=np.intp)
        self._initials = np.array([n[:1] for n in names], dtype=str)

    def first_name_scores(self, firsts: list[str]) -> np.ndarray:
        """Each first name (a row) against each of these names as name_score compares first
        names: the same name 100, an initial against a name 85 if it is its initial (else 0),
        otherwise the ratio."""
        if not self.names:
            return np.zeros((len(firsts), 0))
        scores = process.cdist(firsts, self.names, scorer=fuzz.ratio, dtype=np.float64)
        given = np.array(firsts, dtype=str)[:, None]
        given_lengths = np.array([len(f) for f in firsts], dtype=np.intp)[:, None]
        initial = (self._lengths > 0) & (given_lengths > 0) & ((self._lengths == 1) | (given_lengths == 1))
        given_initials = np.array([f[:1] for f in firsts], dtype=str)[:, None]
        scores = np.where(initial, np.where(self._initials == given_initials, INITIAL_SCORE, 0.0), scores)
        return np.where(self._text == given, 100.0, scores)

    def subset(self, indexes: np.ndarray) -> _Spellings:
        return _Spellings([self.names[i] for i in indexes])


class _Bearers(_Spellings):
    """The distinct names of one kind (last or first) among the tenants, and who bears which."""

    def __init__(self, names: list[str], of: list[int]) -> None:
        super().__init__(names)
        self.of = np.array(of, dtype=np.intp)  # per tenant: the index of their name
        self._bearers = np.argsort(self.of, kind="stable")  # tenants grouped by name, in name order
        self._bounds = np.concatenate(([0], np.cumsum(np.bincount(self.of, minlength=len(names)))))

    def scores(self, names: list[str], cutoff: float) -> np.ndarray:
        """Each of `names` against each of these: the ratio, where it is at least `cutoff` (below, maybe 0)."""
        if not self.names:
            return np.zeros((len(names), 0))
        # cdist's own cutoff is not exact (a pair just at it can be left out): a point lower
        # keeps every pair that reaches it, with its exact score, for the caller to compare.
        return process.cdist(names, self.names, scorer=fuzz.ratio, score_cutoff=max(0.0, cutoff - 1),
                             dtype=np.float64, workers=-1)

    def bearers(self, indexes: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The tenants bearing these names, each with the score of their name."""
        if not len(indexes):
            return np.empty(0, dtype=np.intp), np.empty(0)
        tenants = np.concatenate([self._bearers[self._bounds[i]:self._bounds[i + 1]] for i in indexes])
        return tenants, np.repeat(scores, self._bounds[indexes + 1] - self._bounds[indexes])


class _Candidates:
    """The tenants who may score high enough with a name of one last name, and how to score them."""

    def __init__(self, people: np.ndarray, by_last: np.ndarray, last_scores: np.ndarray, by_first: np.ndarray,
                 swapped_scores: np.ndarray, lasts: _Bearers, firsts: _Bearers) -> None:
        self.people = people  # ascending tenant indexes
        # Their last name against it; -1 where too unlike for the pair to reach the threshold so.
        self.last_scores = np.full(len(people), -1.0)
        self.last_scores[np.searchsorted(people, by_last)] = last_scores
        unique, self.first_of = np.unique(firsts.of[people], return_inverse=True)
        self.first_names = firsts.subset(unique)
        # The names swapped: those whose first name is near it (positions in `people`), that
        # score, and their last names, to be compared with the list's first name.
        self.swapped = np.searchsorted(people, by_first)
        self.swapped_scores = swapped_scores
        unique, self.swapped_last_of = np.unique(lasts.of[by_first], return_inverse=True)
        self.swapped_last_names = lasts.subset(unique)

    def scores(self, given: list[str], given_middles: np.ndarray, middles: np.ndarray) -> np.ndarray:
        """name_score of each name of this last name (a row: its first name and the code of its
        middle initial) with each tenant (a column: `middles`, the codes of theirs)."""
        firsts = list(dict.fromkeys(given))
        row_of = {first: i for i, first in enumerate(firsts)}
        rows = np.array([row_of[first] for first in given], dtype=np.intp)
        mine = given_middles[:, None]
        penalty = np.where((mine != 0) & (middles != 0) & (middles != mine), MIDDLE_PENALTY, 0.0)
        first_scores = self.first_names.first_name_scores(firsts)[rows][:, self.first_of]
        scores = np.where(self.last_scores >= 0, LAST_WEIGHT * self.last_scores + FIRST_WEIGHT * first_scores - penalty,
                          -np.inf)
        if len(self.swapped):
            # The names swapped: the list's first name against the tenant's last name.
            against_last = self.swapped_last_names.first_name_scores(firsts)[rows][:, self.swapped_last_of]
            swapped = LAST_WEIGHT * self.swapped_scores + FIRST_WEIGHT * against_last - penalty[:, self.swapped]
            scores[:, self.swapped] = np.maximum(scores[:, self.swapped], swapped)
        return scores


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
