"""Which tenants a list's names may be: the pairs of names alike enough to be weighed at all.

A pair is a candidate when its name likeness (0-100: the last names' ratio weighs 0.6, the first
names' 0.4; an initial against a name that begins with it counts 85) reaches the cutoff, either
as written or with the tenant's first and last names swapped. Those tenants are found by
comparing distinct names in C, once per last name on the list: only one of two last names, given
a last name's weight, can lift a pair to the cutoff with a perfect first name (the list's last
name against the tenant's last name, or against the tenant's first name). The names of one last
name are then scored against them in arrays; only pairs at the cutoff are looked at further.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.linkage.names import NameKey

LAST_WEIGHT, FIRST_WEIGHT = 0.6, 0.4
INITIAL_SCORE = 85.0  # an initial against a first name that begins with it
# Last names compared with the tenants' names in one call (a matrix of this many rows), and
# how many last names' near names, and candidates, are kept for the next batches of the list
# (a list read by last name needs each for one batch only).
_COMPARED_AT_ONCE = 256
_NEAR_KEPT = 10_000
_CANDIDATES_KEPT = 256


class Candidate(NamedTuple):
    likeness: float
    index: int  # the tenant's
    straight: bool  # the last names are near: the names as written may fit
    swapped: bool  # the list's last name is near the tenant's first name: the other way round may


_new = tuple.__new__


class CandidateSearch:
    """The tenants' names (one NameKey per tenant), indexed once; `search` for a batch of names."""

    def __init__(self, keys: Sequence[NameKey], cutoff: float, least_last: float = 0.0) -> None:
        """`least_last`: the least ratio the list's last name must have with the tenant's last
        name (or, swapped, first name) for that alignment to count at all."""
        self.cutoff = cutoff
        # The least a last name may score for the pair to reach the cutoff with a perfect first
        # name (a hair lower: the score is a float).
        self._last_cutoff = max(0.0, least_last - 1e-6, (cutoff - 100 * FIRST_WEIGHT) / LAST_WEIGHT - 1e-6)
        lasts: dict[str, int] = {}
        firsts: dict[str, int] = {}
        last_of = [lasts.setdefault(k.last, len(lasts)) for k in keys]
        first_of = [firsts.setdefault(k.first, len(firsts)) for k in keys]
        self._lasts, self._firsts = _Bearers(list(lasts), last_of), _Bearers(list(firsts), first_of)
        # Per last name on the list, the tenants' names near it: for the last names met lately
        # only, so that it stays small whatever the list's size.
        self._near: OrderedDict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
        self._candidates = lru_cache(maxsize=_CANDIDATES_KEPT)(self._candidates_of)

    def search(self, names: Sequence[NameKey]) -> list[list[Candidate]]:
        """For each name: every tenant at or above the cutoff, and which way round their last
        names are near (the last names' ratio at least the least a pair needs, or `least_last`)."""
        by_last: dict[str, list[int]] = {}
        for i, key in enumerate(names):
            by_last.setdefault(key.last, []).append(i)
        self._compare([last for last in by_last if last not in self._near])
        found: list[list[Candidate]] = [[] for _ in names]
        for last, members in by_last.items():
            candidates = self._candidates(last)
            if not len(candidates.people):
                continue
            scores = candidates.scores([names[i].first for i in members])
            straight, swapped = candidates.last_scores >= 0, candidates.swapped_near
            for row, column in zip(*np.nonzero(scores >= self.cutoff)):
                # tuple.__new__: a NamedTuple's own constructor costs more than the pair is worth
                found[members[row]].append(_new(Candidate, (float(scores[row, column]), int(candidates.people[column]),
                                                            bool(straight[column]), bool(swapped[column]))))
        return found

    def _compare(self, lasts: list[str]) -> None:
        """The tenants' names near each of these last names (with their scores), kept for the
        last names met lately: a batch's last names are compared at once, on every core."""
        for start in range(0, len(lasts), _COMPARED_AT_ONCE):
            part = lasts[start:start + _COMPARED_AT_ONCE]
            cutoff = self._last_cutoff
            as_last, as_first = self._lasts.scores(part, cutoff), self._firsts.scores(part, cutoff)
            for i, last in enumerate(part):
                near_lasts = np.flatnonzero(as_last[i] >= cutoff)
                near_firsts = np.flatnonzero(as_first[i] >= cutoff)
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


class _Spellings:
    """Distinct names, to be compared with first names."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._text = np.array(names, dtype=str)
        self._lengths = np.array([len(n) for n in names], dtype=np.intp)
        self._initials = np.array([n[:1] for n in names], dtype=str)

    def first_name_scores(self, firsts: list[str]) -> np.ndarray:
        """Each first name (a row) against each of these names: the same 100, an initial against a
        name INITIAL_SCORE if it is its initial (else 0), otherwise their ratio."""
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
    """The tenants who may reach the cutoff with a name of one last name, and how to score them."""

    def __init__(self, people: np.ndarray, by_last: np.ndarray, last_scores: np.ndarray, by_first: np.ndarray,
                 swapped_scores: np.ndarray, lasts: _Bearers, firsts: _Bearers) -> None:
        self.people = people  # ascending tenant indexes
        # Their last name against it; -1 where too unlike for the pair to reach the cutoff so.
        self.last_scores = np.full(len(people), -1.0)
        self.last_scores[np.searchsorted(people, by_last)] = last_scores
        unique, self.first_of = np.unique(firsts.of[people], return_inverse=True)
        self.first_names = firsts.subset(unique)
        # The names swapped: those whose first name is near it (positions in `people`), that
        # score, and their last names, to be compared with the list's first name.
        self.swapped = np.searchsorted(people, by_first)
        self.swapped_near = np.zeros(len(people), dtype=bool)
        self.swapped_near[self.swapped] = True
        self.swapped_scores = swapped_scores
        unique, self.swapped_last_of = np.unique(lasts.of[by_first], return_inverse=True)
        self.swapped_last_names = lasts.subset(unique)

    def scores(self, given: list[str]) -> np.ndarray:
        """The likeness (module docstring) of each first name of this last name (a row) with each tenant (a column)."""
        firsts = list(dict.fromkeys(given))
        row_of = {first: i for i, first in enumerate(firsts)}
        rows = np.array([row_of[first] for first in given], dtype=np.intp)
        first_scores = self.first_names.first_name_scores(firsts)[rows][:, self.first_of]
        scores = np.where(self.last_scores >= 0, LAST_WEIGHT * self.last_scores + FIRST_WEIGHT * first_scores,
                          -np.inf)
        if len(self.swapped):
            # The names swapped: the list's first name against the tenant's last name.
            against_last = self.swapped_last_names.first_name_scores(firsts)[rows][:, self.swapped_last_of]
            swapped = LAST_WEIGHT * self.swapped_scores + FIRST_WEIGHT * against_last
            scores[:, self.swapped] = np.maximum(scores[:, self.swapped], swapped)
        return scores
