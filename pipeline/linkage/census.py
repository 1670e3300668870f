"""How common names, middle initials and ZIP codes are among the people a list is matched
against, and among the list's own people: what the match model weighs an agreement by (the
same surname says more when 1 in 900 bear it than when 1 in 40 do).

The shares of surnames and first names count the tenants and the list's names together (a small
store alone would call every name rare); a first name's share is taken among the tenants bearing
the surname it comes with (JOSE is common among LOPEZ, rare among MURPHY), drawn towards its share
among everyone when that surname is borne by few. Middle initials and ZIP codes are the
tenants' alone: they say how likely a tenant taken at random agrees with the list by chance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pipeline.linkage.names import NameKey

# A surname borne by this many is taken to say as much about its bearers' first names as everyone does.
FIRST_GIVEN_SURNAME_WEIGHT = 20.0
# What is known before any tenant is counted, worth PRIOR_PEOPLE people: a surname taken at
# random is borne by about 1 in 1,000 people, a first name by 1 in 300, a house by 1 in 1,000,
# a court serves some 20 ZIP codes, an initial begins 1 in 20 first names. A store of a few
# cases would otherwise call every name common (1 in 3) and every ZIP code the only one.
PRIOR_PEOPLE = 50.0
TYPICAL_SURNAME, TYPICAL_FIRST, TYPICAL_STREET, TYPICAL_ZIP, TYPICAL_INITIAL = 1 / 1000, 1 / 300, 1 / 1000, 1 / 20, 1 / 20


class Census:
    def __init__(self, tenants: Iterable[tuple[NameKey, str | None]],
                 listed: Iterable[tuple[str, str, str | None, int]] = (), streets: Iterable[str] = ()) -> None:
        """`listed`: the list's (last name, first name, ZIP code, rows); `streets`: the street
        keys of the tenants whose court shows one."""
        tenants = list(tenants)
        self.tenants = len(tenants)
        self._tenant_surnames = Counter(k.last for k, _ in tenants)
        self._tenant_firsts = Counter(k.first for k, _ in tenants)
        self._surnames, self._firsts = Counter(self._tenant_surnames), Counter(self._tenant_firsts)
        self._initials = Counter(k.first[:1] for k, _ in tenants)
        self.people = self.tenants
        # The list's people are counted among everyone, but not one who is plainly a tenant
        # already counted (the same surname, first name and ZIP code): a rare name would seem
        # twice as common for being on both. Their names only where a tenant bears them too,
        # the only names a share is ever asked of (a long list's other names would cost memory
        # for nothing).
        plainly = {(k.last, k.first, z) for k, z in tenants}
        for last, first, zip5, rows in listed:
            if (last, first, zip5) in plainly:
                continue
            self.people += rows
            self._initials[(first or "")[:1]] += rows
            if last in self._tenant_surnames:
                self._surnames[last] += rows
            if first in self._tenant_firsts:
                self._firsts[first] += rows
        self.people = max(1, self.people)
        # First names among a surname's bearers: the tenants' alone.
        self._pairs = Counter((k.last, k.first) for k, _ in tenants)
        self._middles = Counter(k.middle for k, _ in tenants)
        self._zips = Counter(z for _, z in tenants if z)
        self._zipped = sum(self._zips.values())
        self._streets = Counter(streets)
        self._streeted = sum(self._streets.values())

    def surname_share(self, last: str) -> float:
        """The share of people bearing this surname (at least one: the one it is asked for)."""
        return _share(max(1, self._surnames[last]), self.people, TYPICAL_SURNAME)

    def first_share(self, first: str, last: str | None = None) -> float:
        """The share of people of this first name, among the bearers of `last` when given."""
        overall = _share(max(1, self._firsts[first]), self.people, TYPICAL_FIRST)
        if last is None:
            return overall
        bearers = self._tenant_surnames[last]
        return (self._pairs[(last, first)] + FIRST_GIVEN_SURNAME_WEIGHT * overall) / (bearers + FIRST_GIVEN_SURNAME_WEIGHT)

    def initial_share(self, initial: str) -> float:
        """The share of people whose first name begins with this letter."""
        return _share(max(1, self._initials[initial[:1]]), self.people, TYPICAL_INITIAL)

    def middle_share(self, middle: str | None) -> float:
        """The share of tenants with this middle initial (None: with none): at least half a
        tenant's worth, never certain that no one bears it."""
        return max(0.5, self._middles[middle]) / max(1, self.tenants)

    def other_middle_share(self, middle: str) -> float:
        """The share of tenants with a middle initial, and another than this one."""
        others = self.tenants - self._middles[None] - self._middles[middle]
        return max(0.5, others) / max(1, self.tenants)

    def zip_share(self, zip5: str) -> float:
        """The share of tenants (of those whose ZIP code is known) living in this ZIP code."""
        return _share(max(1, self._zips[zip5]), self._zipped, TYPICAL_ZIP)

    def borne_surname(self, last: str) -> bool:
        """Some tenant bears this surname: it is a real name, not a typo of another."""
        return self._tenant_surnames[last] > 0

    def borne_first(self, first: str) -> bool:
        return self._tenant_firsts[first] > 0

    def street_share(self, street: str) -> float:
        """The share of tenants (of those whose street is shown) at this house number and street."""
        return _share(max(1, self._streets[street]), self._streeted, TYPICAL_STREET)

    def rarity(self, last: str) -> int:
        """`1 in N` of the tenants and listed people bear this surname, as counted."""
        return max(1, round(self.people / max(1, self._surnames[last])))


def _share(count: int, of: int, typical: float) -> float:
    return (count + PRIOR_PEOPLE * typical) / (of + PRIOR_PEOPLE)
