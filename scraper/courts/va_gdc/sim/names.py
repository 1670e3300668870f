"""Synthetic names and court profiles. Every person is a random pairing of common name lists:
no real person's name is stored here, and landlord and creditor names are invented."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

FIRST_NAMES = (
    "JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "WILLIAM",
    "ELIZABETH", "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH",
    "CHARLES", "KAREN", "CHRISTOPHER", "NANCY", "DANIEL", "LISA", "MATTHEW", "BETTY", "ANTHONY",
    "MARGARET", "MARK", "SANDRA", "DONALD", "ASHLEY", "STEVEN", "KIMBERLY", "PAUL", "EMILY",
    "ANDREW", "DONNA", "JOSHUA", "MICHELLE", "KENNETH", "DOROTHY", "KEVIN", "CAROL", "BRIAN",
    "AMANDA", "GEORGE", "MELISSA", "TIMOTHY", "DEBORAH", "TYRONE", "TANYA", "MARCUS", "KEISHA",
    "ANDRE", "LATOYA", "DARNELL", "TAMIKA", "TERRENCE", "SHANICE", "AHMED", "FATIMA", "MINH",
    "LINH", "SAMUEL", "GRACE", "ISAAC", "RUTH", "ABDUL", "AMINA",
)
LAST_NAMES = (
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER", "DAVIS", "WILSON", "ANDERSON",
    "TAYLOR", "THOMAS", "MOORE", "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS",
    "CLARK", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "GREEN",
    "BAKER", "ADAMS", "NELSON", "HILL", "CAMPBELL", "MITCHELL", "ROBERTS", "CARTER", "PHILLIPS",
    "EVANS", "TURNER", "PARKER", "COLLINS", "EDWARDS", "STEWART", "MORRIS", "MURPHY", "COOK",
    "ROGERS", "MORGAN", "COOPER", "PETERSON", "BAILEY", "REED", "KELLY", "HOWARD", "WARD", "COX",
    "RICHARDSON", "WOOD", "WATSON", "BROOKS", "BENNETT", "GRAY", "HUGHES", "PRICE", "SANDERS",
    "MYERS", "LONG", "ROSS", "FOSTER", "NGUYEN", "KIM", "TRAN", "PATEL", "ALI", "HASSAN",
    "MENSAH", "OSEI", "TESFAYE", "WASHINGTON", "JEFFERSON",
)
SPANISH_FIRST_NAMES = (
    "JOSÉ", "MARÍA", "JESÚS", "ANDRÉS", "RAMÓN", "SOFÍA", "LUCÍA", "JOAQUÍN", "CARLOS", "ANA",
    "LUIS", "ROSA", "MIGUEL", "CARMEN", "JUAN", "ELENA", "OSCAR", "GLORIA", "HÉCTOR", "INÉS",
)
SPANISH_LAST_NAMES = (
    "GARCÍA", "RODRÍGUEZ", "MARTÍNEZ", "HERNÁNDEZ", "LÓPEZ", "GONZÁLEZ", "PÉREZ", "SÁNCHEZ",
    "RAMÍREZ", "FLORES", "GÓMEZ", "DÍAZ", "REYES", "CRUZ", "MORALES", "ORTIZ", "GUTIÉRREZ",
    "CHÁVEZ", "RAMOS", "VÁSQUEZ", "CASTILLO", "JIMÉNEZ", "PEÑA", "MUÑOZ", "NÚÑEZ", "IBÁÑEZ",
)
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"


def person_name(rng: random.Random, spanish_share: float = 0.25) -> str:
    """`LAST, FIRST M` (middle initial often missing), as the portal writes people."""
    if rng.random() < spanish_share:
        last, first = rng.choice(SPANISH_LAST_NAMES), rng.choice(SPANISH_FIRST_NAMES)
    else:
        last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
    middle = rng.choice(MIDDLE_INITIALS) if rng.random() < 0.6 else ""
    return f"{last}, {first} {middle}".rstrip()


@dataclass(frozen=True)
class Landlord:
    variants: tuple[str, ...]  # how the same filer's name is written across filings
    dbas: tuple[str, ...]  # DBA/TA values it sometimes files under ("" = none)
    address: str
    big: bool
    attorney: str  # "NONE" when the filer appears without counsel
    id: str = ""  # the filing entity: shared by all its name variants (see `court_landlords`)


BIG_LANDLORDS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("CEDAR GLEN APARTMENTS LLC", "CEDAR GLEN APTS LLC", "CEDAR GLEN APARTMENTS, L.L.C."), ("",), "BETHESDA, MD 20814"),
    (("PARK TOWERS OWNER LLC", "PARK TOWERS OWNER, LLC"), ("PARK TOWERS", ""), "VIENNA, VA 22182"),
    (("LAUREL RIDGE RESIDENTIAL LP", "LAUREL RIDGE RESIDENTIAL, L.P.", "LAUREL RIDGE RES LP"), ("", "LAUREL RIDGE APARTMENTS"), "RICHMOND, VA 23219"),
    (("SUMMIT VIEW HOLDINGS LLC", "SUMMIT VIEW HOLDINGS, LLC", "SUMMITVIEW HOLDINGS LLC"), ("SUMMIT VIEW APARTMENTS", ""), "TYSONS, VA 22102"),
    (("BRIGHTWATER COMMONS LLC", "BRIGHTWATER COMMONS APTS LLC", "BRIGHTWATER COMMONS, LLC"), ("",), "BALTIMORE, MD 21202"),
    (("OAKMONT PROPERTY MANAGEMENT INC", "OAKMONT PROPERTY MGMT INC", "OAKMONT PROPERTY MANAGEMENT, INC."), ("", "OAKMONT GARDENS"), "ARLINGTON, VA 22203"),
    (("WILLOW CREEK TERRACE LLC", "WILLOW CREEK TERRACE, LLC", "WILLOWCREEK TERRACE LLC"), ("",), "RESTON, VA 20190"),
    (("HARBOR POINTE OWNER LLC", "HARBOR POINTE OWNER L.L.C."), ("HARBOR POINTE", "HARBOR POINTE APARTMENTS"), "NORFOLK, VA 23510"),
    (("STONEBRIDGE RESIDENTIAL LLC", "STONEBRIDGE RESIDENTIAL, LLC", "STONE BRIDGE RESIDENTIAL LLC"), ("",), "HERNDON, VA 20170"),
    (("JUNIPER HILL APARTMENTS LP", "JUNIPER HILL APTS LP", "JUNIPER HILL APARTMENTS, LP"), ("", "JUNIPER HILL"), "SILVER SPRING, MD 20910"),
)
SMALL_LANDLORD_WORDS = ("NORTHSIDE", "EASTGATE", "RIVERVIEW", "HILLTOP", "MAPLEWOOD", "CRESTLINE",
                        "FAIRVIEW", "BAYSIDE", "PINECREST", "LAKESIDE", "MEADOWBROOK", "ELMHURST")
SMALL_LANDLORD_SUFFIXES = ("PROPERTIES LLC", "RENTALS LLC", "REALTY INC", "HOLDINGS LLC", "INVESTMENTS LLC")
CREDITORS = (
    ("TIDEWATER ASSET RECOVERY LLC", "NORFOLK, VA 23510"),
    ("PIEDMONT CONSUMER LENDING LLC", "CHARLOTTESVILLE, VA 22901"),
    ("SHENANDOAH AUTO CREDIT LLC", "WINCHESTER, VA 22601"),
    ("CHESAPEAKE PORTFOLIO SERVICES LLC", "COLUMBUS, OH 43215"),
    ("BLUE RIDGE MEDICAL BILLING LLC", "ROANOKE, VA 24011"),
    ("COMMONWEALTH CREDIT PARTNERS LLC", "RICHMOND, VA 23219"),
    ("POTOMAC FURNITURE RENTALS INC", "MANASSAS, VA 20110"),
    ("ATLANTIC INSTALLMENT FINANCE INC", "WILMINGTON, DE 19801"),
)
GARNISHEES = ("CAPITAL REGION STAFFING LLC", "NORTHSTAR LOGISTICS INC", "COMMONWEALTH HOME CARE LLC",
              "METRO FOOD SERVICES INC", "DOMINION SECURITY GROUP LLC")
TENANT_ATTORNEY_SHARE = 0.04
SELF_REPRESENTED_SHARE = 0.08


@dataclass(frozen=True)
class CourtProfile:
    fips: str
    name: str
    weekly_ud: int
    zips: tuple[tuple[str, str], ...]  # (ZIP, city)
    courtrooms: tuple[str, ...]

    def address(self, rng: random.Random) -> str:
        zip_code, city = rng.choice(self.zips)
        return f"{city}, VA {zip_code}"


def _zips(city: str, *codes: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"{code:05d}", city) for code in codes)


COURTS: dict[str, CourtProfile] = {
    "510": CourtProfile("510", "Alexandria General District Court", 65,
                        _zips("ALEXANDRIA", 22301, 22302, 22304, 22305, 22311, 22312, 22314, 22315),
                        ("COURTROOM 2A", "COURTROOM 2B", "COURTROOM 2C")),
    "013": CourtProfile("013", "Arlington General District Court", 30,
                        _zips("ARLINGTON", 22201, 22202, 22203, 22204, 22205, 22206, 22207, 22209),
                        ("COURTROOM 1A", "COURTROOM 1B")),
    "059": CourtProfile("059", "Fairfax County General District Court", 120,
                        _zips("FAIRFAX", 22030, 22031, 22032, 22033) + _zips("FALLS CHURCH", 22041, 22042, 22043, 22044)
                        + _zips("SPRINGFIELD", 22150, 22151, 22153) + _zips("ALEXANDRIA", 22303, 22306, 22309, 22310)
                        + _zips("ANNANDALE", 22003) + _zips("HERNDON", 20170, 20171) + _zips("RESTON", 20190, 20191),
                        ("COURTROOM 2J", "COURTROOM 2K", "COURTROOM 2L", "COURTROOM 3E")),
    "763": CourtProfile("763", "Richmond-Civil General District Court", 150,
                        _zips("RICHMOND", 23220, 23221, 23222, 23223, 23224, 23225, 23226, 23227, 23230,
                              23231, 23234, 23235),
                        ("COURTROOM 100", "COURTROOM 102", "COURTROOM 104")),
}


def court_landlords(seed: int, profile: CourtProfile) -> tuple[Landlord, ...]:
    """The court's filers: five big landlords with counsel, then a pool of small ones.

    Ids: a big landlord is `LL-<its first variant>` (the same company in every court); a small one
    is `SL-<fips>-<index in the pool>`. The pool is drawn at random, so now and then two of its
    entries share a name (`LAKESIDE HOLDINGS LLC` twice): an LLC's name is unique in a state, and
    same-named people cannot be told apart on the page, so a name keeps the id of its first entry.
    Creditors are `CR-<name>`.
    """
    rng = random.Random(f"va-gdc-sim:{seed}:{profile.fips}:landlords")
    big = [Landlord(variants, dbas, address, True, person_name(rng, 0.1), id=f"LL-{_slug(variants[0])}")
           for variants, dbas, address in rng.sample(BIG_LANDLORDS, 5)]
    small = [_small_landlord(rng, profile) for _ in range(max(40, profile.weekly_ud * 2))]
    first: dict[str, int] = {}
    small = [replace(l, id=f"SL-{profile.fips}-{first.setdefault(l.variants[0], i):03d}") for i, l in enumerate(small)]
    return tuple(big + small)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def _small_landlord(rng: random.Random, profile: CourtProfile) -> Landlord:
    if rng.random() < 0.5:
        name = person_name(rng, 0.15)
    elif rng.random() < 0.5:
        name = f"{rng.choice(LAST_NAMES)} {rng.choice(SMALL_LANDLORD_SUFFIXES)}"
    else:
        name = f"{rng.choice(SMALL_LANDLORD_WORDS)} {rng.choice(SMALL_LANDLORD_SUFFIXES)}"
    address = profile.address(rng) if rng.random() < 0.7 else rng.choice(CREDITORS)[1]
    attorney = person_name(rng, 0.1) if rng.random() < 0.2 else "NONE"
    return Landlord((name,), ("",), address, False, attorney)


def court_creditors(seed: int, profile: CourtProfile) -> tuple[Landlord, ...]:
    rng = random.Random(f"va-gdc-sim:{seed}:{profile.fips}:creditors")
    return tuple(Landlord((name,), ("",), address, False, person_name(rng, 0.1), id=f"CR-{_slug(name)}")
                 for name, address in CREDITORS)
