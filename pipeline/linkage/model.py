"""How much a pair of records says about being one person: a Fellegi–Sunter model.

Each field of the list's row is compared with the tenant's, and the level found (the same
surname, a letter apart, another middle initial, another ZIP code ...) weighs
log2(m / u): m, how likely that level is when the row is the tenant (how intake sheets differ
from a court's record: written below, once, from what intake staff do, not fitted to any list);
u, how likely it is for a tenant taken at random, from the census (a rare surname's agreement
weighs more than a common one's). The weights add up; what they mean as a probability is the
matcher's (it knows how many households there are to be and how many of the list's people are
sued at all).

A field the list leaves empty (no ZIP code, no middle initial) weighs nothing: it says nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA

from pipeline.linkage.census import Census
from pipeline.linkage.names import NameKey


# Names a typo apart (one letter dropped, added or changed, or two swapped) are close; names
# alike at FAIR or more (OSA's normalized similarity) are fair; the rest different.
FAIR = 0.7


class Surname(StrEnum):
    SAME = "same"
    CLOSE = "close"  # a letter or two apart: a typo
    FAIR = "fair"  # alike
    DIFFERENT = "different"


class First(StrEnum):
    SAME = "same"
    NICKNAME = "nickname"  # the list's nickname is short for the tenant's name
    SHORT = "short"  # the list's name is the start of the tenant's (KEV, BARB): a short form
    INITIAL = "initial"  # one side an initial, the other a name beginning with it
    CLOSE = "close"
    FAIR = "fair"
    DIFFERENT = "different"


class Middle(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    CASE_NONE = "case none"  # the list has one, the court wrote none
    LIST_NONE = "list none"  # says nothing


class Zip(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # says nothing


class Street(StrEnum):
    SAME = "same"  # the same house number and street name
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # the list gives none, or the court shows none (Virginia's portal): says nothing


# m: how likely each level is when the row is the tenant, given what the list wrote. A name
# merely alike is weighed against the share of the tenant's own name (u), and is likely a typo
# only when no tenant bears the list's spelling: two real names a letter apart (ANDRE, ANDREW)
# are more often two people.
M_SURNAME = {Surname.SAME: 0.88, Surname.CLOSE: 0.08, Surname.FAIR: 0.03, Surname.DIFFERENT: 0.01}
M_FIRST = {First.SAME: 0.86, First.NICKNAME: 0.80, First.SHORT: 0.03, First.INITIAL: 0.03, First.CLOSE: 0.06, First.FAIR: 0.02,
           First.DIFFERENT: 0.03}
M_INITIAL_LISTED = 0.90  # the list wrote only an initial: the tenant's name begins with it
BORNE = 0.1  # m of a close or fair name when the list's spelling is itself a tenant's name
# The list gives a middle initial: the court wrote one as often as it writes middle initials at
# all (the tenants' share, p), and then the same one nearly always; or it wrote none (1 - p).
MIDDLE_RIGHT = 0.95
M_ZIP = {Zip.SAME: 0.85, Zip.DIFFERENT: 0.15}
M_STREET = {Street.SAME: 0.75, Street.DIFFERENT: 0.25}  # a list's address may be a new one, or a mailing one
M_SWAPPED = 0.05  # the list's first and last names the other way round from the court's
M_READING = 0.05  # the list's name read another way: one part of a double surname, a comma misplaced


@dataclass(frozen=True, slots=True)
class Comparison:
    """One list row against one tenant: the levels found and their weight in bits."""

    row: NameKey
    tenant: NameKey
    row_zip: str | None
    tenant_zip: str | None
    surname: Surname
    first: First
    middle: Middle
    zip: Zip
    swapped: bool
    reading: bool  # the row's name read another way
    weight: float
    street: Street = Street.UNKNOWN

    @property
    def confirms(self) -> bool:
        """The case confirms what the list says: the name as written (a surname a typo apart at
        most; the first name whole, or the name a nickname stands for, not an initial or a name
        merely alike; not the other way round, not read another way), the same ZIP code, the
        list's middle initial if it gives one (a namesake in the same ZIP code, a parent or a
        child, may be the one the court named), its street if both show one."""
        return (self.surname in (Surname.SAME, Surname.CLOSE) and self.first in (First.SAME, First.NICKNAME)
                and not (self.swapped or self.reading) and self.zip is Zip.SAME
                and self.middle in (Middle.SAME, Middle.LIST_NONE) and self.street is not Street.DIFFERENT)

    def evidence(self, census: Census) -> list[str]:
        """The comparison in words, each level one phrase: what a reviewer checks."""
        row, tenant = self.row, self.tenant
        if self.swapped:  # the list's surname is the case's first name, and the other way round
            return [_surname_phrase(census, self.first in (First.SAME, First.NICKNAME), row.first, tenant.last),
                    "first and last names the other way round",
                    f"first name {tenant.first}" if self.surname is Surname.SAME
                    else f"first name {row.last} ~ {tenant.first}", *self._others()]
        parts = [_surname_phrase(census, self.surname is Surname.SAME, row.last, tenant.last)]
        if self.reading:
            parts.append("the list's name read another way (one part of a double surname, or a comma moved)")
        first = tenant.first
        parts.append({First.SAME: f"first name {first}",
                      First.NICKNAME: f"first name a nickname of {first}",
                      First.SHORT: f"first name {row.first}, the start of {first}",
                      First.INITIAL: f"first name {row.first} ~ {first} (an initial)"}.get(
            self.first, f"first name {row.first} ~ {first}"))
        return [*parts, *self._others()]

    def _others(self) -> list[str]:
        row, tenant = self.row, self.tenant
        parts = []
        parts.append({Middle.SAME: f"same middle initial {row.middle}",
                      Middle.DIFFERENT: f"middle initials differ ({row.middle} on the list, {tenant.middle} on the case)",
                      Middle.CASE_NONE: "no middle initial on the case",
                      Middle.LIST_NONE: "no middle initial on the list"}[self.middle])
        parts.append({Zip.SAME: "same ZIP code",
                      Zip.DIFFERENT: f"another ZIP code ({self.row_zip} on the list, {self.tenant_zip} on the case)",
                      Zip.UNKNOWN: "no ZIP code on the list" if not self.row_zip else "no ZIP code on the case"}[self.zip])
        if self.street is not Street.UNKNOWN:
            parts.append("same street address" if self.street is Street.SAME else "another street address")
        return parts


class Weigher:
    """compare(), each field's weight remembered for the names met again: a list is matched a
    batch of one surname at a time, against the same few tenants' names."""

    def __init__(self, census: Census) -> None:
        self.census = census
        self._surnames: dict[tuple[str, str, bool], tuple[Surname, float]] = {}
        self._firsts: dict[tuple, tuple[First, float, bool]] = {}
        self._shares: dict[tuple[str, str | None, bool], float] = {}
        self._middles: dict[tuple[str | None, str | None], tuple[Middle, float]] = {}
        self._zips: dict[tuple[str | None, str | None], tuple[Zip, float]] = {}

    def best(self, row: NameKey, row_zip: str | None, tenant: NameKey, tenant_zip: str | None, *,
             reading: bool = False, ways: tuple[bool, ...] = (False, True),
             streets: tuple[str | None, str | None] = (None, None)) -> tuple[float, bool] | None:
        """The pair's weight and whether it is the names the other way round that give it (of
        `ways`, the other way round not for a reading), or None when their surnames differ each
        way: a pair not worth weighing."""
        found = None
        for swapped in ways:
            if swapped and reading:
                continue
            surname = self._surname(row.last, tenant.first if swapped else tenant.last, swapped)
            if surname[0] is Surname.DIFFERENT:
                continue
            weight = self._levels(row, row_zip, tenant, tenant_zip, swapped, surname)[-1] + _doubt(swapped, reading)
            if streets[0] and streets[1]:
                weight += self._street(*streets)[1]
            if found is None or weight > found[0]:
                found = (weight, swapped)
        return found

    def compare(self, row: NameKey, row_zip: str | None, tenant: NameKey, tenant_zip: str | None, *,
                swapped: bool = False, reading: bool = False,
                streets: tuple[str | None, str | None] = (None, None)) -> Comparison:
        """The pair's levels and weight; `swapped`: the tenant's first and last names compared the
        other way round (the row's last with the tenant's first); `streets`: the row's and the
        tenant's street keys (pipeline.linkage.streets)."""
        surname, first_level, middle, zip_level, weight = self._levels(row, row_zip, tenant, tenant_zip, swapped)
        street, street_weight = self._street(*streets)
        weight += _doubt(swapped, reading) + street_weight
        return Comparison(row, tenant, row_zip, tenant_zip, surname, first_level, middle, zip_level, swapped, reading,
                          weight, street)

    def _street(self, row: str | None, tenant: str | None) -> tuple[Street, float]:
        same, weight = _same_or_other(row, tenant, M_STREET[Street.SAME], self.census.street_share)
        return _STREET_LEVEL[same], weight

    def _levels(self, row: NameKey, row_zip: str | None, tenant: NameKey, tenant_zip: str | None, swapped: bool,
                surname_found: tuple[Surname, float] | None = None) -> tuple[Surname, First, Middle, Zip, float]:
        """The levels and their weight, each field's remembered."""
        last, first = (tenant.first, tenant.last) if swapped else (tenant.last, tenant.first)
        surname, surname_weight = surname_found or self._surname(row.last, last, swapped)
        # The first name's share among its surname's bearers only when the surnames agree.
        among = last if surname is Surname.SAME and not swapped else None
        # The court's nickname as it wrote it (BETTY, read as ELIZABETH): a typo of it is a typo.
        written = tenant.written_first if tenant.nickname and not swapped else first
        key = (row.first, row.written_first, row.nickname, first, written)
        first_level, first_weight, shared = self._firsts.get(key) or self._first(key, row, first, written)
        if shared:  # less the share of the tenant's name, where the list's is compared with it
            share_key = (first, among, swapped)
            log_share = self._shares.get(share_key)
            if log_share is None:
                if len(self._shares) > _REMEMBERED:
                    self._shares.clear()
                share = self.census.surname_share(first) if swapped else self.census.first_share(first, among)
                log_share = self._shares[share_key] = math.log2(share)
            first_weight -= log_share
        middle = self._middles.get((row.middle, tenant.middle))
        if middle is None:
            middle = self._middles[(row.middle, tenant.middle)] = _middle_weight(self.census, row.middle, tenant.middle)
        zip_level = self._zips.get((row_zip, tenant_zip))
        if zip_level is None:
            zip_level = self._zips[(row_zip, tenant_zip)] = _zip_weight(self.census, row_zip, tenant_zip)
        return (surname, first_level, middle[0], zip_level[0],
                surname_weight + first_weight + middle[1] + zip_level[1])

    def _first(self, key: tuple, row: NameKey, first: str, written: str) -> tuple[First, float, bool]:
        if len(self._firsts) > _FIRSTS_REMEMBERED:
            self._firsts.clear()
        found = self._firsts[key] = _first_bits(self.census, row, first, written)
        return found

    def _surname(self, row_last: str, last: str, swapped: bool) -> tuple[Surname, float]:
        key = (row_last, last, swapped)
        found = self._surnames.get(key)
        if found is None:
            if len(self._surnames) > _REMEMBERED:
                self._surnames.clear()
            census = self.census
            level = _surname_level(row_last, last)
            m = M_SURNAME[level] * (BORNE if level in (Surname.CLOSE, Surname.FAIR) and census.borne_surname(row_last)
                                    else 1.0)
            # How common the tenant's name is in the place the list's surname is compared with it.
            share = census.first_share(last) if swapped else census.surname_share(last)
            found = self._surnames[key] = (level, math.log2(m / (1.0 if level is Surname.DIFFERENT else share)))
        return found


_SWAPPED, _READING = math.log2(M_SWAPPED), math.log2(M_READING)


def _doubt(swapped: bool, reading: bool) -> float:
    """The bits a pair loses for the list's name read other than as written."""
    return (_SWAPPED if swapped else 0.0) + (_READING if reading else 0.0)
_REMEMBERED = 20_000  # weights of name pairs kept: a bound on memory whatever the list's size
_FIRSTS_REMEMBERED = 50_000  # first names' levels (small): a list's first names meet the tenants' again and again


def _first_bits(census: Census, row: NameKey, first: str, written: str) -> tuple[First, float, bool]:
    """The first names' level, its weight in bits, and whether the share of the tenant's name is
    still to be taken from it (it depends on the surname it comes with)."""
    level = _first_level(row, first, written)
    if level is First.INITIAL and len(row.first) == 1:
        return level, math.log2(M_INITIAL_LISTED / census.initial_share(row.first)), False
    if level is First.DIFFERENT:
        return level, math.log2(M_FIRST[level]), False
    m = M_FIRST[level] * (BORNE if level in (First.CLOSE, First.FAIR) and census.borne_first(row.first) else 1.0)
    return level, math.log2(m), True


def _middle_weight(census: Census, row: str | None, tenant: str | None) -> tuple[Middle, float]:
    level = _middle_level(row, tenant)
    written = 1 - census.middle_share(None)  # the share of tenants the court gives a middle initial
    if level is Middle.SAME:
        return level, math.log2(MIDDLE_RIGHT * written / census.middle_share(row))
    if level is Middle.DIFFERENT:
        return level, math.log2((1 - MIDDLE_RIGHT) * written / census.other_middle_share(row))
    if level is Middle.CASE_NONE:
        return level, math.log2((1 - written) / census.middle_share(None))
    return level, 0.0


def _zip_weight(census: Census, row: str | None, tenant: str | None) -> tuple[Zip, float]:
    same, weight = _same_or_other(row, tenant, M_ZIP[Zip.SAME], census.zip_share)
    return _ZIP_LEVEL[same], weight


_ZIP_LEVEL = {None: Zip.UNKNOWN, True: Zip.SAME, False: Zip.DIFFERENT}
_STREET_LEVEL = {None: Street.UNKNOWN, True: Street.SAME, False: Street.DIFFERENT}


def _same_or_other(row: str | None, tenant: str | None, m_same: float,
                   share_of: Callable[[str], float]) -> tuple[bool | None, float]:
    """A place given on both sides (None when not): the same one weighs log2(m / its share among
    tenants), another log2((1 - m) / the share of tenants elsewhere than the list's."""
    if not (row and tenant):
        return None, 0.0
    share = share_of(row)
    if row == tenant:
        return True, math.log2(m_same / share)
    return False, math.log2((1 - m_same) / max(1e-6, 1 - share))


def _surname_phrase(census: Census, same: bool, written: str, surname: str) -> str:
    if not same:
        return f"surname {written} ~ {surname}"
    n = census.rarity(surname)
    return f"same surname ({'rare, ' if n >= 500 else 'common, ' if n <= 50 else ''}1 in {n:,})"


def _surname_level(a: str, b: str) -> Surname:
    if a == b:
        return Surname.SAME
    if OSA.distance(a, b) <= 1:
        return Surname.CLOSE
    return Surname.FAIR if OSA.normalized_similarity(a, b) >= FAIR else Surname.DIFFERENT


def _first_level(row: NameKey, first: str, written: str) -> First:
    """`first`: the tenant's first name as read (a nickname read as the name it is short for);
    `written`: as the court wrote it."""
    if row.first == first:
        return First.NICKNAME if row.nickname else First.SAME
    if row.first and first and (len(row.first) == 1 or len(first) == 1):
        return First.INITIAL if row.first[0] == first[0] else First.DIFFERENT
    if OSA.distance(row.first, first) <= 1 or (written != first and OSA.distance(row.written_first or row.first,
                                                                                  written) <= 1):
        return First.CLOSE
    if len(row.first) >= 3 and first.startswith(row.first):
        return First.SHORT
    return First.FAIR if OSA.normalized_similarity(row.first, first) >= FAIR else First.DIFFERENT


def _middle_level(row: str | None, tenant: str | None) -> Middle:
    if not row:
        return Middle.LIST_NONE
    if not tenant:
        return Middle.CASE_NONE
    return Middle.SAME if row == tenant else Middle.DIFFERENT
