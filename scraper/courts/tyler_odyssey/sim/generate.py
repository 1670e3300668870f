"""Synthetic Justice of the Peace dockets: a year of civil filings per precinct, from a seed.

Every name is invented. The shapes follow docs/courts/tyler-odyssey.md:
petition, citation, service, an eviction hearing 10-14 days on (sometimes reset), a judgment
(often default), a writ of possession requested, sent to the constable and served.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from scraper.courts.tyler_odyssey.sim.model import (
    EVICTION,
    CaseFacts,
    DispositionFacts,
    OCCUPANTS,
    EventFacts,
    PartyFacts,
    SettingFacts,
)
from scraper.simkit.households import SuedBefore

FIRST = ("James", "Maria", "Robert", "Linda", "Jose", "Patricia", "Michael", "Guadalupe", "David", "Jennifer",
         "Juan", "Elizabeth", "Carlos", "Susan", "Daniel", "Jessica", "Luis", "Sarah", "Anthony", "Karen",
         "Miguel", "Nancy", "Kevin", "Lisa", "Brian", "Rosa", "Jason", "Ashley", "Eric", "Veronica",
         "Adriana", "Alejandro", "Amanda", "Andrea", "Angel", "Beatriz", "Brandon", "Brenda", "Cesar", "Claudia",
         "Cristina", "Darnell", "Deborah", "Diego", "Dolores", "Emily", "Ernesto", "Esperanza", "Fernando",
         "Gabriela", "Hector", "Irma", "Isaac", "Javier", "Jorge", "Keisha", "Latoya", "Leticia", "Marcus",
         "Monica", "Norma", "Oscar", "Pedro", "Raul", "Ricardo", "Sandra", "Sergio", "Tamika", "Teresa",
         "Tyrone", "Victor", "Yolanda")
LAST = ("Garcia", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Smith", "Johnson", "Williams", "Brown",
        "Jones", "Rodriguez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Davis", "Miller",
        "Wilson", "Nguyen", "Anderson", "Thomas", "Jackson", "White", "Harris", "Clark", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Aguilar", "Alvarado", "Avila", "Banda", "Benavides", "Bustos", "Cabrera", "Campos", "Cardenas", "Castillo",
        "Castro", "Cervantes", "Contreras", "Cortez", "Cruz", "Delgado", "Dominguez", "Escobar", "Espinoza",
        "Estrada", "Fuentes", "Galvan", "Gallegos", "Guerrero", "Gutierrez", "Ibarra", "Juarez", "Lara", "Leal",
        "Luna", "Macias", "Maldonado", "Medina", "Mejia", "Mendez", "Mendoza", "Molina", "Montoya", "Morales",
        "Moreno", "Munoz", "Navarro", "Ochoa", "Ortiz", "Pacheco", "Padilla", "Pena", "Quintero", "Reyes",
        "Rios", "Rocha", "Rojas", "Salazar", "Salinas", "Sandoval", "Santos", "Solis", "Soto", "Trevino",
        "Valdez", "Vargas", "Vasquez", "Vega", "Villarreal", "Zamora", "Bell", "Carter", "Coleman", "Foster",
        "Griffin", "Hayes", "Jenkins", "Long", "Patterson", "Perry", "Powell", "Russell", "Simmons", "Washington",
        # A precinct's surnames are many more than the commonest: too few made unrelated tenants
        # of one ZIP code share a name far more often than in a real docket.
        "Acosta", "Arellano", "Arredondo", "Barrera", "Becerra", "Beltran", "Bermudez", "Cantu", "Carrillo",
        "Cavazos", "Chavez", "Cisneros", "Corona", "Duran", "Elizondo", "Esquivel", "Farias", "Franco", "Garza",
        "Guerra", "Guzman", "Hinojosa", "Huerta", "Jaramillo", "Lozano", "Magana", "Marquez", "Montes",
        "Montemayor", "Nava", "Olivares", "Oropeza", "Palacios", "Paredes", "Ponce", "Quiroga", "Ramos", "Rangel",
        "Rendon", "Robles", "Rubio", "Saenz", "Serna", "Sierra", "Tamez", "Tapia", "Urbina", "Valencia",
        "Velasquez", "Zapata", "Brooks", "Bryant", "Butler", "Campbell", "Collins", "Cook", "Cooper", "Edwards",
        "Evans", "Fisher", "Ford", "Gray", "Hall", "Howard", "Hughes", "James", "Kelly", "Lee", "Marshall",
        "Mitchell", "Morgan", "Morris", "Murphy", "Owens", "Parker", "Phillips", "Price", "Reed", "Richardson",
        "Roberts", "Rogers", "Ross", "Sanders", "Stewart", "Sullivan", "Taylor", "Turner", "Ward", "Watson",
        "Webb", "Wells", "Tran", "Pham", "Le", "Vo", "Huynh", "Kim", "Patel", "Ali", "Ahmed", "Haile", "Tesfaye")
# Landlords as they file: each a few spellings of one entity (ground truth: the id).
LANDLORDS = (
    ("L1", ("Riverside Flats LLC", "Riverside Flats, LLC", "RIVERSIDE FLATS LLC")),
    ("L2", ("Oak Hollow Apartments LP", "Oak Hollow Apartments, L.P.")),
    ("L3", ("Cedar Park Residential Holdings LLC",)),
    ("L4", ("Mesa Verde Housing Partners LP", "Mesa Verde Housing Partners")),
    ("L5", ("Lone Star Property Management Inc", "Lone Star Property Management, Inc.")),
    ("L6", ("Bluebonnet Terrace LLC",)),
    ("L7", ("Capital View Homes LLC", "Capitol View Homes LLC")),
    ("L8", ("Pecan Grove Villas LLC",)),
    ("L9", ("Hill Country Rentals LLC", "Hill Country Rentals")),
    ("L10", ("Barton Ridge Apartments LLC",)),
)
LANDLORD_WEIGHTS = (18, 14, 10, 9, 8, 6, 5, 4, 3, 3)
TENANT_STREETS = ("Blackacre Lane", "E Riverside Dr", "Manchaca Rd", "N Lamar Blvd", "Pleasant Valley Rd",
                  "Rundberg Ln", "S Congress Ave", "Wickersham Ln", "Burleson Rd", "E Oltorf St")
ZIPS = ("78702", "78704", "78721", "78723", "78724", "78725", "78727", "78728", "78741", "78744", "78745",
        "78747", "78748", "78749", "78750", "78751", "78752", "78753", "78754", "78758")
STREETS = ("Congress Ave", "Lamar Blvd", "Riverside Dr", "Oltorf St", "Rundberg Ln", "Cameron Rd")
OFFICERS = ("Judge Alvarez, Ana", "Judge Brooks, Calvin", "Judge Chen, Dana", "Judge Duarte, Elena",
            "Judge Ellis, Frank")
ATTORNEYS = ("Pruitt, Morgan A.", "Keller, Sam J.", "Ortega, Lena")
TIMES = (dt.time(9, 0), dt.time(10, 0), dt.time(11, 30), dt.time(13, 30), dt.time(14, 0))
OTHER_TYPES = (("Small Claims", "Small Claims Hearing"), ("Debt Claim", "Trial"))
# Filings per precinct per weekday: evictions, other civil cases sharing the calendar.
EVICTIONS_PER_DAY = (3.0, 2.0, 1.5, 2.5, 1.0)
OTHERS_PER_DAY = 0.8


def case_id(year: int, precinct: int, seq: int) -> int:
    """The internal id: unique, stable, and not the case number (a bijection mod a prime)."""
    return ((year % 100 * 10 + precinct) * 1_000_000 + seq) * 48271 % 2_147_483_647


def court_day(day: dt.date, later: int) -> dt.date:
    out = day + dt.timedelta(days=later)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


class YearBuilder:
    def __init__(self, seed: int, year: int, street_addresses: bool = False) -> None:
        self.year = year
        self.rng = random.Random(f"tyler-odyssey:{seed}:{year}")
        # A county that publishes tenants' streets: drawn from a stream of their own, so the
        # same seed makes the same cases either way.
        self.streets = random.Random(f"tyler-odyssey-streets:{seed}:{year}") if street_addresses else None
        self.households: list[tuple[str, tuple[PartyFacts, ...]]] = []
        self.sued = SuedBefore()

    def build(self) -> list[CaseFacts]:
        cases: list[CaseFacts] = []
        seq = dict.fromkeys(range(1, 6), 0)
        day = dt.date(self.year, 1, 2)
        while day.year == self.year:
            if day.weekday() < 5:
                for precinct in range(1, 6):
                    kinds = ([EVICTION] * self._count(EVICTIONS_PER_DAY[precinct - 1])
                             + ["other"] * self._count(OTHERS_PER_DAY))
                    self.rng.shuffle(kinds)
                    for kind in kinds:
                        seq[precinct] += 1
                        cases.append(self._case(precinct, seq[precinct], day, kind))
            day += dt.timedelta(days=1)
        return cases

    def _count(self, mean: float) -> int:
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    def _person(self, with_occupants: bool) -> PartyFacts:
        r = self.rng
        name = f"{r.choice(LAST)}, {r.choice(FIRST)}" + (f" {r.choice('ABCDEGJLMRST')}." if r.random() < 0.6 else "")
        if with_occupants:
            name += OCCUPANTS
        lines = () if r.random() < 0.04 else (f"Austin, TX {r.choice(ZIPS)}",)
        if lines and self.streets is not None and self.streets.random() < 0.9:
            lines = self._street_lines() + lines
        return PartyFacts(name, lines)

    def _street_lines(self) -> tuple[str, ...]:
        """A tenant's street as a county prints it: a line for the street, often one for the unit."""
        s = self.streets
        street = f"{s.randint(100, 9899)} {s.choice(TENANT_STREETS)}"
        unit = s.choice(("", "", f"Apartment No. {s.randint(100, 399)}", f"Apt {s.randint(1, 40)}",
                         f"Unit {s.choice('ABCD')}{s.randint(1, 12)}"))
        return (street, unit) if unit else (street,)

    def _defendants(self, filed: dt.date) -> tuple[str, tuple[PartyFacts, ...]]:
        r = self.rng
        if self.households and r.random() < 0.12:  # a household sued again, if not too recently or often
            for _ in range(4):
                again = r.choice(self.households)
                if self.sued.may_sue(again[0], filed):
                    self.sued.sued(again[0], filed)
                    return again
        lead = self._person(with_occupants=r.random() < 0.4)
        people = (lead,) if r.random() < 0.8 else (lead, self._person(False))
        household = (f"H{self.year}-{len(self.households)}", people)
        self.households.append(household)
        self.sued.sued(household[0], filed)
        return household

    def _plaintiff(self) -> tuple[str, PartyFacts]:
        r = self.rng
        landlord_id, spellings = r.choices(LANDLORDS, weights=LANDLORD_WEIGHTS)[0]
        number = 100 + int(landlord_id[1:]) * 37
        lines = ((f"{number} {STREETS[int(landlord_id[1:]) % len(STREETS)]}", "Austin, TX 78701")
                 if r.random() < 0.5 else ("Austin, TX 78701",))
        attorney = r.choice(ATTORNEYS) if r.random() < 0.5 else None
        return landlord_id, PartyFacts(r.choice(spellings), lines, attorney)

    def _case(self, precinct: int, seq: int, filed: dt.date, kind: str) -> CaseFacts:
        r = self.rng
        number = f"J{precinct}-CV-{self.year % 100:02d}-{seq:06d}"
        landlord_id, plaintiff = self._plaintiff()
        officer = OFFICERS[precinct - 1]
        if kind != EVICTION:
            case_type, hearing_type = r.choice(OTHER_TYPES)
            defendant = self._person(False)
            when = court_day(filed, r.randint(20, 35))
            return CaseFacts(case_id(self.year, precinct, seq), number, precinct, filed, case_type, (plaintiff,),
                             (defendant,), (SettingFacts(when, r.choice(TIMES), hearing_type, officer, None, filed),),
                             (EventFacts(filed, "Original Petition (OCA)"),), None, landlord_id, "other")
        household_id, defendants = self._defendants(filed)
        events = [EventFacts(filed, "Original Petition (OCA)"), EventFacts(court_day(filed, 1), "Citation Issued")]
        served = court_day(filed, r.randint(3, 6))
        events.append(EventFacts(served, "FED Service", f"{defendants[0].name} Served {served:%m/%d/%Y}"))
        settings: list[SettingFacts] = []
        when, set_on = court_day(filed, r.randint(10, 14)), filed
        while True:
            outcome = r.choices(("Reset", "Default Judgment", "Appeared", "Agreed Judgment", "Dismissed", "Non-Suit"),
                                weights=(12 if len(settings) < 2 else 0, 42, 20, 10, 8, 8))[0]
            settings.append(SettingFacts(when, r.choice(TIMES), "Eviction Hearing", officer, outcome, set_on))
            if outcome != "Reset":
                break
            when, set_on = court_day(when, r.randint(7, 14)), when
        heard = settings[-1]
        disposition = self._disposition(heard, plaintiff, defendants[0])
        if disposition.name == "Default Judgment":
            events.append(EventFacts(court_day(heard.date, 1), "Notice of Default Judgment mailed to Defendant"))
        if r.random() < 0.05:
            events.append(EventFacts(court_day(filed, 8), "Correspondence/Letter Returned Undeliverable"))
        if disposition.awarded_to == plaintiff.name:
            if r.random() < 0.04:
                events.append(EventFacts(court_day(heard.date, 3), "Appeal Bond"))
                events.append(EventFacts(court_day(heard.date, 5), "Appealed to County Court"))
            elif r.random() < 0.6:
                requested = court_day(heard.date, 6)
                events.append(EventFacts(requested, "Writ of Possession Requested"))
                events.append(EventFacts(court_day(requested, 1), "Writ of Possession Sent to Constable's Office"))
                if r.random() < 0.7:
                    executed = court_day(requested, r.randint(3, 8))
                    events.append(EventFacts(executed, "Writ of Possession Service"))
                    events.append(EventFacts(executed, "Writ", f"{defendants[0].name} Served {executed:%m/%d/%Y}"))
        events.sort(key=lambda e: e.date)
        assessment = None if r.random() < 0.1 else Decimal("54.00") + (Decimal("75.00") if r.random() < 0.3 else 0)
        paid = assessment if assessment is not None and r.random() < 0.8 else Decimal("0")
        return CaseFacts(case_id(self.year, precinct, seq), number, precinct, filed, EVICTION, (plaintiff,),
                         defendants, tuple(settings), tuple(events), disposition, landlord_id, household_id,
                         assessment, paid)

    def _disposition(self, heard: SettingFacts, plaintiff: PartyFacts, defendant: PartyFacts) -> DispositionFacts:
        r = self.rng
        amount = (Decimal(r.randint(60_000, 420_000)) / 100).quantize(Decimal("0.01"))
        name = {"Default Judgment": "Default Judgment", "Agreed Judgment": "Agreed Judgment",
                "Dismissed": "Dismissed", "Non-Suit": "Non-Suit"}.get(heard.result or "")
        if name is None:  # contested: heard with both sides
            name = "Final Judgment" if r.random() < 0.8 else "Judgment for Defendant"
        if name in ("Dismissed", "Non-Suit"):
            return DispositionFacts(heard.date, name, heard.officer, None, None, None)
        if name == "Judgment for Defendant":
            return DispositionFacts(heard.date, name, heard.officer, None, defendant.name, plaintiff.name)
        return DispositionFacts(heard.date, name, heard.officer, amount, plaintiff.name, defendant.name)
