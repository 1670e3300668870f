"""Whether a person on a partner's watch list is a tenant in a case, as a probability.

Every tenant whose name is alike enough (pipeline.linkage.search) is weighed field by field
(pipeline.linkage.model); a household's weight is its best tenant's. A row is one of H
households with probability π/H each, or none of them with 1 − π (π: the share of the list's
people who are sued at all, estimated from the list itself by expectation–maximisation); so a
household's probability is π/H · 2^w over (1 − π) + π/H · Σ 2^w of every household weighed:
namesakes share it, and a name borne by many is no one's in particular.

Only the household that fits best is proposed, and those that tie with it exactly. It is
"confident" at `confident` or above when the case confirms what the list says that tells people
apart (model.Comparison.confirms) and no other household has as much as RUNNER_UP; "to review"
at `review` or above: a person looks before anyone acts on it. A row that fits no one well as written is read
the other ways a name may be written (pipeline.linkage.names.readings, and a tenant's double
surname under each part): those readings are weighed with their own doubt and only ever to review.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

import numpy as np

from pipeline.linkage import CONFIDENT_AT, REVIEW_AT
from pipeline.linkage.census import Census
from pipeline.linkage.fit import listed_share
from pipeline.linkage.model import Weigher, Zip
from pipeline.linkage.names import NameKey, readings
from pipeline.linkage.search import CandidateSearch
from pipeline.normalize.names import surname_parts

# How alike two names must be (search.likeness, 0-100) to be weighed at all, and their last
# names (ratio, either way round): below it, the model's surnames differ and the pair weighs
# nothing worth proposing.
CANDIDATE_LIKENESS = 75.0
CANDIDATE_LAST = 65.0
_TIE = 1e-9
_new = tuple.__new__  # a NamedTuple made without its Python-level constructor: pairs are many
# Confident only when no other household has as much as this chance: a namesake that the list's
# ZIP code alone sets apart may still be the one (people move, more so in a court of few ZIP codes).
RUNNER_UP = 0.01
# Which ways round a candidate's names are weighed, by the ways its last names are near.
_WAYS = {(True, True): (False, True), (True, False): (False,), (False, True): (True,), (False, False): ()}


class Verdict(StrEnum):
    CONFIDENT = "confident"
    REVIEW = "to review"


@dataclass(frozen=True, slots=True)
class Person:
    """A tenant as a case names them: `ref` is what a match reports back (court, case number)."""

    ref: Hashable
    household: str  # the cases of one household are one person
    key: NameKey
    zip5: str | None
    street: str | None = None  # its key (pipeline.linkage.streets), where the court shows one


class Listed(NamedTuple):
    """A watch-list row as the matcher reads it; a plain (key, ZIP code) pair is one too."""

    key: NameKey
    zip5: str | None
    street: str | None = None  # its key (pipeline.linkage.streets)


@dataclass(frozen=True, slots=True)
class Proposal:
    ref: Hashable
    probability: float
    verdict: Verdict
    same_zip: bool
    evidence: tuple[str, ...]  # the comparison in words

    @property
    def score(self) -> float:
        """The probability in percent, as matches are stored."""
        return round(100 * self.probability, 1)


@dataclass(slots=True)
class _Weighed:
    """A row's households, each with its best pair's weight, and each case (ref) with its own
    best pair: a household's cases may name different people (one unit, two tenants)."""

    best: dict[str, _Pair]
    cases: dict[Hashable, tuple[str, _Pair]]

    def add(self, household: str, ref: Hashable, pair: _Pair) -> None:
        known = self.best.get(household)
        if known is None or pair.weight > known.weight:
            self.best[household] = pair
        case = self.cases.get(ref)
        if case is None or pair.weight > case[1].weight:
            self.cases[ref] = (household, pair)


class _Pair(NamedTuple):
    """A list row and a tenant weighed: enough to say why (Weigher.compare) once it is kept."""

    weight: float
    row: Listed
    tenant: Person
    swapped: bool
    reading: bool


class Matcher:
    """The tenants of the cases, indexed once; `propose_all` for a batch of watch-list names.
    `listed`: the list's (last name, first name, ZIP code, rows), counted with the tenants' in
    how common a name is."""

    def __init__(self, people: Iterable[Person], *, confident: float = CONFIDENT_AT, review: float = REVIEW_AT,
                 listed: Iterable[tuple[str, str, str | None, int]] = (), share: float | None = None) -> None:
        self.people = list(people)
        self.share = share  # π; None: estimated from each batch proposed
        self.confident, self.review = confident, review
        self.households = max(1, len({p.household for p in self.people}))
        self.census = Census(((p.key, p.zip5) for p in self.people), listed, (p.street for p in self.people if p.street))
        self._weigher = Weigher(self.census)
        self._search = CandidateSearch([p.key for p in self.people], CANDIDATE_LIKENESS, CANDIDATE_LAST)
        # The tenants of a double surname under each part, for names that fit no one as read.
        self._parts = [replace(p, key=replace(p.key, last=part))
                       for p in self.people for part in surname_parts(p.key.last)]
        self._parts_search = (CandidateSearch([p.key for p in self._parts], CANDIDATE_LIKENESS, CANDIDATE_LAST)
                              if self._parts else None)
        self._part_names = {p.key.last for p in self._parts}

    def propose(self, key: NameKey, zip5: str | None, street: str | None = None) -> list[Proposal]:
        """propose_all for one name."""
        return self.propose_all([Listed(key, zip5, street)])[0]

    def calibrate(self, names: Sequence[tuple[NameKey, str | None] | Listed]) -> float:
        """π from these rows (a long list's sample), kept for every batch proposed from now on: a
        row's verdict then does not hang on the batch it falls in."""
        names = [Listed(*n) for n in names]
        rows = [_Weighed({}, {}) for _ in names]
        self._weigh(names, range(len(names)), rows, self._search, self.people)
        self.share = self.fit(rows)
        return self.share

    def propose_all(self, names: Sequence[tuple[NameKey, str | None] | Listed]) -> list[list[Proposal]]:
        names = [Listed(*n) for n in names]
        rows = [_Weighed({}, {}) for _ in names]
        self._weigh(names, range(len(names)), rows, self._search, self.people)
        share = self.share if self.share is not None else self.fit(rows)
        again = [i for i, row in enumerate(rows) if self._best_probability(row, share) < self.review]
        tries = [(i, reading) for i in again for reading in readings(names[i][0])]
        self._weigh([names[i]._replace(key=r) for i, r in tries], [i for i, _ in tries], rows, self._search,
                    self.people, reading=True)
        # The tenants' double surnames under each part, for rows whose surname is one of those parts.
        parted = [i for i in again if names[i][0].last in self._part_names]
        if self._parts_search is not None and parted:
            self._weigh([names[i] for i in parted], parted, rows, self._parts_search, self._parts, reading=True)
        if self.share is None:
            share = self.fit(rows)
        return [self._decide(row, share) for row in rows]

    def fit(self, rows: Sequence[_Weighed]) -> float:
        """π, the share of the rows' people who are sued (pipeline.linkage.fit)."""
        pairs = [(i, pair.weight) for i, row in enumerate(rows) for pair in row.best.values()]
        return listed_share(np.array([i for i, _ in pairs], dtype=np.intp),
                            np.array([w for _, w in pairs], dtype=np.float64), len(rows), self.households)

    def _weigh(self, names: Sequence[Listed], at: Sequence[int], rows: list[_Weighed], search: CandidateSearch,
               people: list[Person], *, reading: bool = False) -> None:
        for row, i, found in zip(names, at, search.search([n.key for n in names])):
            for candidate in found:
                person = people[candidate.index]
                ways = _WAYS[candidate.straight, candidate.swapped]
                weighed = self._weigher.best(row.key, row.zip5, person.key, person.zip5, reading=reading, ways=ways,
                                             streets=(row.street, person.street))
                if weighed is not None:
                    rows[i].add(person.household, person.ref, _new(_Pair, (weighed[0], row, person, weighed[1], reading)))

    def _probabilities(self, row: _Weighed, share: float) -> dict[str, float]:
        per = share / self.households
        below = self._below(row, share)
        return {h: per * 2.0 ** pair.weight / below for h, pair in row.best.items()}

    def _below(self, row: _Weighed, share: float) -> float:
        """The denominator of a row's probabilities: no one, or any of the households weighed."""
        return (1 - share) + share / self.households * sum(2.0 ** p.weight for p in row.best.values())

    def _best_probability(self, row: _Weighed, share: float) -> float:
        return max(self._probabilities(row, share).values(), default=0.0)

    def _decide(self, row: _Weighed, share: float) -> list[Proposal]:
        """The cases of the likeliest household(s), each judged by its own pair."""
        if not row.best:
            return []
        probabilities = self._probabilities(row, share)
        top = max(probabilities.values())
        kept = [h for h, p in probabilities.items() if p >= top * (1 - _TIE)]
        runner_up = max((p for h, p in probabilities.items() if h not in kept), default=0.0)
        proposals, per, below = [], share / self.households, self._below(row, share)
        for ref, (household, pair) in row.cases.items():
            probability = per * 2.0 ** pair.weight / below if household in kept else 0.0
            if probability < self.review:
                continue
            comparison = self._weigher.compare(pair.row.key, pair.row.zip5, pair.tenant.key, pair.tenant.zip5,
                                               swapped=pair.swapped, reading=pair.reading,
                                               streets=(pair.row.street, pair.tenant.street))
            confident = (probability >= self.confident and len(kept) == 1 and runner_up < RUNNER_UP
                         and comparison.confirms)
            evidence = comparison.evidence(self.census)
            if len(kept) > 1:
                others = len(kept) - 1
                evidence.append(f"{others} other household{'s' if others > 1 else ''} fit{'' if others > 1 else 's'} "
                                "as well")
            elif runner_up >= RUNNER_UP:
                evidence.append(f"another household {runner_up:.2f}")
            proposals.append(Proposal(ref, probability, Verdict.CONFIDENT if confident else Verdict.REVIEW,
                                      comparison.zip is Zip.SAME, tuple(evidence)))
        return proposals
