"""Party names: persons, organizations and the "all other occupants" placeholder.

The court writes persons as ``LAST, FIRST M`` (``PEÑA, MARISOL R``, ``SMITH JR, JOHN``).
That shape is parsed on a fast path with plain string operations; anything else a person
name may look like (``John A. Smith Jr.``, ``MARY-JANE O'NEIL``) goes through nameparser.

Order of work on a name: clean (upper case, single spaces) -> cut the occupants phrase ->
cut the ``T/A`` / ``DBA`` / ``C/O`` parts -> organization or person.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nameparser import HumanName

from pipeline.normalize.orgs import is_organization
from pipeline.normalize.text import ascii_fold, clean_upper
from pipeline.store.inputs import NormalizedParty, PersonName

__all__ = ["PersonName", "NormalizedParty", "normalize_party", "person_key", "parse_person", "strip_unit",
           "surname_parts"]


# Generational suffixes only; professional ones (ESQ, MD) are dropped.
_SUFFIXES = {"JR": "JR", "SR": "SR", "II": "II", "III": "III", "IV": "IV",
             "2ND": "2ND", "3RD": "3RD", "4TH": "4TH"}


def _suffix(token: str) -> str | None:
    return _SUFFIXES.get(token.strip(".,"))


_CONNECTOR = r"(?:(?:AND/OR|AND|&|\+)\s+)?(?:ANY\s+(?:AND/OR|AND|&)\s+)?"
_OCCUPANTS = re.compile(
    r"[\s,;]*\(?\s*" + _CONNECTOR
    + r"\b(?P<phrase>ALL\s+(?:THE\s+)?(?:OTHERS?\s+)?(?:ADULT\s+|UNKNOWN\s+|UNNAMED\s+)?"
    r"(?:OCCUPANTS?|TENANTS?|RESIDENTS?|PERSONS?|OTHERS|ADULTS)"
    r"|(?:OTHER\s+)?(?:UNKNOWN|UNNAMED)\s+(?:OCCUPANTS?|TENANTS?|RESIDENTS?))"
    r"(?:\s+(?:IN\s+POSSESSION|THEREOF|THEREIN"  # "... OF THE PREMISES", "... AT 123 MAIN ST"
    r"|(?:OF|AT|IN|RESIDING\s+AT|LOCATED\s+AT)\s+[^,;()]*?))?"
    r"[\s.]*\)?"
    r"(?=\s*(?:$|[,;]|(?:T/A|C/O|DBA|D/B/A)\b))"
)
_SEPARATOR = re.compile(
    r"[\s,;]*(?<![A-Z0-9/])"
    r"(?P<sep>T/A|D/B/A|D\.B\.A\.?|DBA|TRADING\s+AS|DOING\s+BUSINESS\s+AS|C/O|C\\O|(?:IN\s+)?CARE\s+OF)"
    r"(?![A-Z0-9/])[\s:]*"
)
_ET_AL = re.compile(r"[\s,]*\bET\.?\s*(?:AL|ALS|UX|VIR)\b\.?$")
_COMMA_SUFFIX = re.compile(r",\s*(JR|SR|II|III|IV|2ND|3RD|4TH)\.?$")
# On cleaned text: LAST, FIRST M -- each part a letter (any script) then letters, spaces,
# apostrophes, hyphens, dots; exactly one comma; no connector words.
_PART = r"[^\W\d_](?:[^\W\d_]|[' .\-])*"
_PERSON_FORM = re.compile(rf"(?!.*\b(?:AND|OR|OF|THE|FOR)\b)(?P<last>{_PART}),(?: (?P<rest>{_PART}))?")
# After a comma these mean "not LAST, FIRST" (``JANE PUBLIC, ESQ.``); in any name they are dropped.
_PROFESSIONAL = frozenset({"ESQ", "ESQUIRE", "MD", "PHD", "DDS", "DMD", "CPA", "DVM", "RN", "JD"})
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "DR"})
_COUPLE = re.compile(r"\s+(?:AND|&)\s+")
_STRIP = " ,;:-"


_SEPARATOR_HINT = re.compile(r"[/\\]|DBA|D\.B\.A| AS |CARE OF")  # cheap pre-check


def _fields(text: str) -> tuple[str, str | None, str | None]:
    """Split cleaned text into (name, dba, care_of) on T/A, DBA, C/O separators."""
    if not _SEPARATOR_HINT.search(text):
        return text, None, None
    matches = list(_SEPARATOR.finditer(text))
    if not matches:
        return text, None, None
    dba = care_of = None
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(_STRIP) or None
        if m.group("sep").startswith(("C", "IN")):
            care_of = care_of or value
        else:
            dba = dba or value
    return text[: matches[0].start()].strip(_STRIP), dba, care_of


_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _fold_comma_suffix(text: str) -> str:
    """``SMITH, JOHN, JR.`` -> ``SMITH, JOHN JR``."""
    return _COMMA_SUFFIX.sub(r" \1", text) if text.count(",") > 1 or ", " in text[-6:] else text


def _strip_et_al(text: str) -> str:
    """Drop a trailing ``ET AL`` / ``ET UX`` (more parties, not part of this name)."""
    return _ET_AL.sub("", text).strip(_STRIP) if "ET" in text[-9:] else text


def _initial(token: str) -> str:
    """``A.`` -> ``A``, ``L.C.`` -> ``L C``; other tokens as they are."""
    if token.endswith(".") and _INITIALS.fullmatch(token):
        return " ".join(token[::2])
    return token


def _person_form(text: str) -> tuple[str, str] | None:
    """``(last, rest)`` when text is the court's ``LAST, FIRST M`` shape, else None."""
    m = _PERSON_FORM.fullmatch(text)
    if m is None or text.count(" ") > 8:
        return None
    last, rest = m.group("last"), m.group("rest") or ""
    if rest and rest.split(" ", 1)[0].replace(".", "") in _PROFESSIONAL:  # JANE PUBLIC, ESQ.
        return None
    return last, rest


def _fast_person(last: str, rest: str) -> PersonName:
    suffix = None
    last_words = last.split()
    if len(last_words) > 1 and (s := _suffix(last_words[-1])):  # SMITH JR, JOHN
        suffix = s
        last_words.pop()
    words = rest.split()
    if len(words) > 1 and words[0].rstrip(".") in _TITLES:  # SMITH, MRS JANE
        words.pop(0)
    if len(words) > 1 and (s := _suffix(words[-1])):  # SMITH, JOHN A JR
        suffix = suffix or s
        words.pop()
    if "." in rest:
        words = [_initial(w) for w in words]
    first = words[0] if words else None
    middle = " ".join(words[1:]) or None
    return PersonName(" ".join(last_words), first, middle, suffix)


def parse_person(text: str) -> PersonName | None:
    """Any person-name shape (upper-cased) -> PersonName, via nameparser unless ``LAST, FIRST``."""
    text = clean_upper(text)
    text = _strip_et_al(_fold_comma_suffix(text)).strip(_STRIP)
    if not any(ch.isalpha() for ch in text):
        return None
    if form := _person_form(text):
        return _fast_person(*form)
    if _COUPLE.search(text):  # a couple: the first person named stands for the pair
        first_half, second_half = _COUPLE.split(text, maxsplit=1)
        if len(first_half.split()) == 1 and "," not in first_half:  # JOHN AND MARY SMITH
            first_half = f"{first_half} {second_half.split()[-1]}"
        return parse_person(first_half)
    words = [w for w in text.split() if w.strip(".,") not in _PROFESSIONAL] or text.split()
    suffix = None
    while len(words) > 1 and (s := _suffix(words[-1])):
        suffix = suffix or s
        words.pop()
    human = HumanName(" ".join(words).strip(_STRIP))
    words = " ".join(words).replace(",", " ").split()
    last = human.last.strip(_STRIP)
    first = human.first.strip(_STRIP) or None
    middle = " ".join(_initial(w) for w in human.middle.split()) or None
    if not suffix and human.suffix:
        suffix = next((s for w in human.suffix.replace(",", " ").split() if (s := _suffix(w))), None)
    if not last:  # one word ("PRINCE", read by nameparser as a title), or only a first name
        last = words[-1]
        first = words[0] if len(words) > 1 else None
        middle = " ".join(words[1:-1]) or None
    return PersonName(last, first, middle, suffix)


@lru_cache(maxsize=50_000)  # tenants rarely repeat; landlords and repeat tenants do
def normalize_party(name: str, dba: str | None = None) -> NormalizedParty:
    """Read one party cell (and its DBA/TA column) into a NormalizedParty. Never raises.

    An empty or unreadable name gives kind ``"person"`` with ``person=None``.
    """
    raw = name if isinstance(name, str) else ""
    text = clean_upper(raw)

    all_occupants = False
    phrase = None
    if "ALL" in text or "UNKNOWN" in text or "UNNAMED" in text:
        if m := _OCCUPANTS.search(text):
            all_occupants = True
            phrase = m.group("phrase")
            text = (text[: m.start()] + " " + text[m.end():]).strip(_STRIP)
            text = clean_upper(text)

    text, dba_in_name, care_of = _fields(text)
    text = text.strip(_STRIP)
    column_dba = None
    if dba and isinstance(dba, str):
        column_dba = clean_upper(dba)
        if (lead := _SEPARATOR.match(column_dba)) and not column_dba[: lead.start("sep")].strip(_STRIP):
            column_dba = column_dba[lead.end():]  # a column value written "T/A PARK TOWERS"
        column_dba = column_dba.strip(_STRIP) or None
    trade_name = dba_in_name or column_dba

    if not text and all_occupants:
        return NormalizedParty(raw, "occupants", clean_upper(phrase or ""), None, trade_name, care_of, True)
    if not text and trade_name:  # "T/A PARK TOWERS": the trade name is all there is
        text = trade_name

    text = _fold_comma_suffix(text)
    form = _person_form(text)
    if is_organization(text, form[1] if form else None):
        return NormalizedParty(raw, "organization", text, None, trade_name, care_of, all_occupants)

    display = _strip_et_al(text)
    if form and display == text:
        person = _fast_person(*form)
    else:
        try:
            person = parse_person(display)
        except Exception:  # nameparser on very odd input; the display name still stands
            person = None
    return NormalizedParty(raw, "person", display, person, trade_name, care_of, all_occupants)


_KEY_DROP = re.compile(r"[^A-Z0-9]+")


def person_key(person: PersonName) -> str:
    """``"LAST|FIRST"``, ASCII-folded, upper case, everything but letters and digits removed.

    ``DE LA CRUZ, ANA`` and ``DELACRUZ, ANA`` share a key; so do ``O'BRIEN`` / ``OBRIEN``
    and ``PEÑA`` / ``PENA``. Middle names and suffixes are left out so one household's
    filings link even when a middle initial comes and goes.
    """
    last = _KEY_DROP.sub("", ascii_fold(person.last).upper())
    first = _KEY_DROP.sub("", ascii_fold(person.first or "").upper())
    return f"{last}|{first}"


# A unit written into a name cell (``MARK ROGERS APT. 297``, ``NGUYEN, PAUL #4B``): the designator
# and everything after it. The designator must be followed by a unit number (a digit, or one letter).
_UNIT = re.compile(r"[\s,;]*(?:\b(?:APT|APARTMENT|UNIT|STE|SUITE|RM|ROOM|BLDG|LOT|FL|FLOOR)\b\.?\s*#?|#)\s*"
                   r"(?=[A-Z]?\d|[A-Z](?:\W|$)).*$", re.IGNORECASE)


def strip_unit(text: str) -> str:
    """A watch-list name without an apartment or unit number written after it."""
    if not text:
        return text
    stripped = _UNIT.sub("", text).strip(_STRIP)
    return stripped if any(ch.isalpha() for ch in stripped) else text


def surname_parts(last: str) -> tuple[str, ...]:
    """The two parts of a double surname (``TESFAYE GRAY`` / ``TESFAYE-GRAY``), else ()."""
    parts = last.replace("-", " ").split()
    return tuple(parts) if len(parts) == 2 and all(len(p) > 1 for p in parts) else ()

