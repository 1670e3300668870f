"""A person's name as the matcher reads it, from a watch list's cell or a court's party name:
folded to ASCII capitals, in either order (`Peña, José A.` and `Jose A Pena` agree), an
apartment cut off the name field, a common English or Spanish nickname read as the name it is
short for (the key says it was one), and the other ways a list's name may be read when it fits
no one as written (each part of a double surname; first and last swapped across the comma).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.normalize.names import parse_person, strip_unit, surname_parts
from pipeline.store.browse import NameSought, set_name_folds, unfolded_people
from pipeline.store.handle import Database
from pipeline.store.inputs import NormalizedParty
from pipeline.normalize.text import ascii_fold

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
    "TERE": "TERESA", "MARU": "MARIA", "LUCHO": "LUIS", "QUIQUE": "ENRIQUE", "RICO": "RICARDO",
    "TONO": "ANTONIO", "JUANITA": "JUANA", "ROSY": "ROSA", "ALEX": "ALEJANDRO",
    "JACK": "JOHN", "JOHNNY": "JOHN", "HANK": "HENRY", "BECKY": "REBECCA", "FRED": "FREDERICK", "FREDDY": "FREDERICK",
    "ALF": "ALFRED", "AL": "ALBERT", "VAL": "VALERIE", "STEPH": "STEPHANIE", "WALLY": "WALTER", "PHIL": "PHILIP",
}
_KEEP = re.compile(r"[^A-Z ]+")


@dataclass(frozen=True, slots=True)
class NameKey:
    last: str
    first: str
    middle: str | None
    nickname: bool = False  # the first name was a nickname, read as the name it is short for
    written_first: str = field(default="", compare=False)  # the first name as written (before nicknames)


def name_key(text: str) -> NameKey | None:
    """A person's name, either order, folded: `"Peña, José A."` and `"Jose A Pena"` agree."""
    person = parse_person(strip_unit(text))
    if person is None or not person.last:
        return None
    first = _fold(person.first)
    full = NICKNAMES.get(first, first)
    return NameKey(_fold(person.last), full, _fold(person.middle)[:1] or None, nickname=full != first,
                   written_first=first)


def _fold(value: str | None) -> str:
    return " ".join(_KEEP.sub(" ", ascii_fold(value or "").upper()).split())


def readings(key: NameKey) -> list[NameKey]:
    """Other ways to read a list's name, tried when it fits no one as read: each part of a
    double surname, and a nickname written where the surname goes (`Betty, Foster`: first and
    last swapped across the comma, which comparing the names the other way round cannot find
    when the first name is a nickname)."""
    out = [replace(key, last=part) for part in surname_parts(key.last)]
    if len(key.written_first) > 1 and key.written_first != key.last and key.last in NICKNAMES:
        first = NICKNAMES.get(key.last, key.last)
        out.append(NameKey(key.written_first, first, key.middle, first != key.last, key.last))
    return out


def search_fold(party: NormalizedParty) -> tuple[str, str] | None:
    """A person's (last, first) name as the workspace's search compares it: folded as `name_key`
    folds a watch list's name, so that `Jose Pena` finds `PEÑA, JOSÉ` and `Bob` finds `ROBERT`."""
    person = party.person
    return fold_person(person.last, person.first) if party.kind == "person" and person is not None else None


def fold_person(last: str | None, first: str | None) -> tuple[str, str] | None:
    folded = _fold(last)
    if not folded:
        return None
    given = _fold(first)
    return folded[:120], NICKNAMES.get(given, given)[:120]


def fold_stored_names(db: Database, *, batch: int = 5000) -> int:
    """Fold the tenants' names stored before the workspace's search (migration 0015); how many."""
    done = 0
    while rows := unfolded_people(db, limit=batch):
        folds = [(party_id, fold_person(last, first)) for party_id, last, first in rows]
        set_name_folds(db, [(party_id, *(fold or ("", ""))) for party_id, fold in folds])
        done += len(rows)
    return done


def names_sought(typed: str) -> tuple[NameSought, ...]:
    """The tenants' names a search for `typed` may mean, in either order: `Maria Lopez`,
    `LOPEZ, MARIA` and `lopez maria` all look for last name LOPEZ with a first name starting
    MARIA (a nickname read as its name, as for a watch list); one word is a last name."""
    if "," in typed:
        last, _, first = typed.partition(",")
        words, rest = _fold(last).split(), _fold(first).split()
        if words:
            return _sought([(" ".join(words), rest[0] if rest else None)])
    words = _fold(typed).split()
    if not words:
        return ()
    if len(words) == 1:
        return (NameSought(words[0][:120]),)
    pairs = [(words[-1], words[0]), (words[0], words[1]), (" ".join(words[1:]), words[0]),
             (" ".join(words[:-1]), words[-1])]
    return _sought(pairs)


def _sought(pairs: list[tuple[str, str | None]]) -> tuple[NameSought, ...]:
    found: dict[NameSought, None] = {}
    for last, first in pairs:
        for given in dict.fromkeys([first, NICKNAMES.get(first or "", first)]):
            found[NameSought(last[:120], given[:120] if given else None)] = None
    return tuple(found)
