"""The matching key of a landlord's name, and what grouping needs to know about a key.

`landlord_key` is re-exported by `pipeline.landlords`; see that module for the grouping rules.
Every step is a plain function of the text, so a key never depends on other names, and the key
of a key is itself (`landlord_key(landlord_key(x)) == landlord_key(x)`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

# Everything from one of these on names someone else (a trade name, an agent, the occupants).
_CUT = re.compile(
    r"[\s,;]+(?:T\s*/\s*A|D\s*/\s*B\s*/\s*A|D\.?\s?B\.?\s?A\.?|DBA|C\s*/\s*O|A\s*/\s*K\s*/\s*A|AKA"
    r"|F\s*/\s*K\s*/\s*A|FKA|TRADING\s+AS|DOING\s+BUSINESS\s+AS|IN\s+CARE\s+OF|ATTN|ATTENTION"
    r"|(?:AND|&)\s+ALL\s+(?:OTHER\s+)?OCCUPANTS|ET\s+ALS?|ET\s+UX)(?=$|[\s,.:;])")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_FOLD = str.maketrans({"ß": "SS", "Ø": "O", "ø": "O", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE",
                       "Ł": "L", "ł": "L", "Đ": "D", "đ": "D", "Þ": "TH", "þ": "TH", "ı": "I"})
_INITIAL_DOT = re.compile(r"(?<![A-Z0-9])([A-Z])\.")  # L.L.C. -> LLC, N.A. -> NA; APTS.LLC -> APTS LLC
_APOSTROPHES = re.compile(r"['’‘`´]")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")

# One spelling for each abbreviation (a token maps to one or more tokens).
ABBREVIATIONS: dict[str, str] = {
    "APT": "APARTMENTS", "APTS": "APARTMENTS", "APTMT": "APARTMENTS", "APTMTS": "APARTMENTS",
    "APARTMENT": "APARTMENTS", "MGMT": "MANAGEMENT", "MGT": "MANAGEMENT", "MNGMT": "MANAGEMENT",
    "MGMNT": "MANAGEMENT", "ASSN": "ASSOCIATION", "ASSOCS": "ASSOCIATES", "ASSOCIATE": "ASSOCIATES",
    "PROP": "PROPERTIES", "PROPS": "PROPERTIES", "PROPERTY": "PROPERTIES", "PROPTS": "PROPERTIES",
    "CTR": "CENTER", "CNTR": "CENTER", "VLG": "VILLAGE", "VLGE": "VILLAGE", "HTS": "HEIGHTS",
    "HGTS": "HEIGHTS", "TWRS": "TOWERS", "TWR": "TOWER", "HLDGS": "HOLDINGS", "HLDG": "HOLDINGS",
    "HOLDING": "HOLDINGS", "GRP": "GROUP", "RLTY": "REALTY", "INVS": "INVESTMENTS", "INVESTMENT": "INVESTMENTS",
    "PTNRS": "PARTNERS", "PRTNRS": "PARTNERS", "PARTNER": "PARTNERS", "PSHIP": "PARTNERSHIP",
    "RES": "RESIDENTIAL", "RESID": "RESIDENTIAL", "DEV": "DEVELOPMENT", "DEVEL": "DEVELOPMENT",
    "ENTS": "ENTERPRISES", "ENTERPRISE": "ENTERPRISES", "GDNS": "GARDENS", "GRDNS": "GARDENS",
    "MNR": "MANOR", "SQ": "SQUARE", "TER": "TERRACE", "TERR": "TERRACE", "PLZ": "PLAZA", "CMNTY": "COMMUNITY",
    "CMTY": "COMMUNITY", "CMNTYS": "COMMUNITIES", "HSG": "HOUSING", "AUTH": "AUTHORITY", "BROS": "BROTHERS",
    "NATL": "NATIONAL", "SVCS": "SERVICES", "CONDO": "CONDOMINIUM", "CONDOS": "CONDOMINIUMS",
    "AVE": "AVENUE", "BLVD": "BOULEVARD", "RD": "ROAD", "LN": "LANE", "PKWY": "PARKWAY", "HWY": "HIGHWAY",
    "CIR": "CIRCLE", "RENTAL": "RENTALS", "INVESTOR": "INVESTORS",
}
_FIRST_ONLY = {"ST": "SAINT", "MT": "MOUNT", "FT": "FORT"}       # as the first word
_NOT_FIRST = {"ST": "STREET", "CT": "COURT", "PL": "PLACE", "DR": "DRIVE"}  # anywhere else
_ASSOCIATION_CONTEXT = {"OWNERS", "HOMEOWNERS", "CONDOMINIUM", "CIVIC", "TENANTS", "RESIDENTS", "NEIGHBORHOOD"}

LEGAL_FORMS = {"LLC", "INC", "INCORPORATED", "CORP", "CORPORATION", "LP", "LLP", "LTD", "PLLC", "LLLP"}
_FINAL_FORMS = LEGAL_FORMS | {"LC", "PC", "PLC", "NA", "CO", "COMPANY", "LIMITED"}
_FORM_PHRASES = (("LIMITED", "LIABILITY", "COMPANY"), ("LIMITED", "LIABILITY", "PARTNERSHIP"),
                 ("LIMITED", "PARTNERSHIP"), ("LIMITED", "COMPANY"), ("GENERAL", "PARTNERSHIP"))

# Business words: they say what a landlord is, not which one. Typos of these are corrected.
GENERIC = {
    "APARTMENTS", "PROPERTIES", "MANAGEMENT", "HOLDINGS", "REALTY", "REAL", "ESTATE", "GROUP",
    "ASSOCIATES", "ASSOCIATION", "PARTNERS", "PARTNERSHIP", "INVESTMENTS", "INVESTORS", "COMMUNITIES",
    "COMMUNITY", "HOMES", "HOUSING", "RENTALS", "RESIDENTIAL", "DEVELOPMENT", "ENTERPRISES", "VENTURES",
    "CAPITAL", "SERVICES", "LEASING", "OWNER", "OWNERS", "FUND", "EQUITIES", "AND", "OF", "AT", "THE",
}
# Extra words that may be missing from a spelling of the same landlord (`X Y APTS` = `X Y`).
OPTIONAL = {"APARTMENTS", "HOMES", "OWNER", "AT", "THE"}
# Words that make a name an organisation or a place rather than a person.
_NOT_PERSONAL = GENERIC - {"AND"} | {
    "TOWERS", "TOWER", "VILLAGE", "GARDENS", "HEIGHTS", "MANOR", "COMMONS", "CROSSING", "POINTE", "TERRACE",
    "PLAZA", "SQUARE", "CENTER", "ESTATES", "LANDING", "PLACE", "STATION", "LOFTS", "FLATS", "RESIDENCES",
    "VILLAS", "CONDOMINIUM", "CONDOMINIUMS", "BANK", "TRUST", "TRUSTEE", "TRUSTEES", "CHURCH", "COUNTY",
    "CITY", "AUTHORITY", "UNIVERSITY", "COLLEGE", "SCHOOL", "HOSPITAL", "FOUNDATION", "MINISTRIES",
    "FEDERAL", "NATIONAL", "CREDIT", "UNION", "MORTGAGE", "FINANCIAL", "DEPARTMENT", "COMMONWEALTH",
    "STREET", "AVENUE", "ROAD", "BOULEVARD", "DRIVE", "LANE", "PARKWAY", "COURT", "SAINT",
    "REVITALIZATION", "REDEVELOPMENT", "COOPERATIVE", "HOTEL", "MOTEL", "INN", "LODGE",
    *LEGAL_FORMS, *_FINAL_FORMS,
}
_SUFFIXES = {"JR", "SR", "II", "III", "IV"}
ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"}
# Long spellings whose typos are folded onto them (APARTMNETS -> APARTMENTS).
_LEXICON = {w: w for w in GENERIC if len(w) >= 6} | {
    w: ABBREVIATIONS.get(w, w) for w in ("APARTMENT", "PROPERTY", "INVESTMENT", "ENTERPRISE", "INVESTOR",
                                         "INCORPORATED", "CORPORATION", "LIMITED", "COMPANY")}
_LEXICON_BY_LETTER = {c: sorted(w for w in _LEXICON if w[0] == c) for c in {w[0] for w in _LEXICON}}


def fold(text: str) -> str:
    """Upper-case ASCII: accents dropped (É -> E), ß -> SS, other letters without ASCII form dropped."""
    if text.isascii():
        return text.upper()
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode().upper()


@lru_cache(maxsize=20_000)
def _spell(token: str) -> str:
    """A typo of a business word, as the word: same first letter, and fuzz.ratio >= 90 (MANAGMENT,
    RENTAS) or two letters swapped (REALYT). Cautious, as the key cannot be split again by an
    override: HOLDINLS (87.5) and CAPITOL (85.7) stay as they are."""
    if len(token) < 6 or token in _LEXICON or token in _NOT_PERSONAL or token in ABBREVIATIONS \
            or not token.isalpha():
        return token
    words = _LEXICON_BY_LETTER.get(token[0], ())
    hit = process.extractOne(token, words, scorer=fuzz.ratio, score_cutoff=90)
    if not hit:
        hit = next(((w,) for w in words if swapped(token, w)), None)
    return _LEXICON[hit[0]] if hit else token


def swapped(u: str, v: str) -> bool:
    """Two neighbouring letters swapped (HEIGTHS, HEIGHTS), in words of 6 letters or more."""
    return len(u) == len(v) >= 6 and OSA.distance(u, v, score_cutoff=1) == 1 and \
        Levenshtein.distance(u, v, score_cutoff=2) == 2


def _tokens(text: str) -> list[str]:
    """Words of a folded text: punctuation gone, initials joined (L L C -> LLC), one spelling each."""
    text = _INITIAL_DOT.sub(r"\1", _APOSTROPHES.sub("", text))
    raw = re.sub(r"[^A-Z0-9]+", " ", text).split()
    words: list[str] = []
    run = False
    for tok in raw:  # a run of single letters is one word: A B C -> ABC
        single = len(tok) == 1 and tok.isalpha()
        if single and run:
            words[-1] += tok
        else:
            words.append(tok)
        run = single
    out: list[str] = []
    for i, tok in enumerate(words):
        tok = _spell(tok)
        if i == 0 and tok in _FIRST_ONLY:
            out.append(_FIRST_ONLY[tok])
        elif i > 0 and tok in _NOT_FIRST:
            out.append(_NOT_FIRST[tok])
        elif tok == "ASSOC":
            out.append("ASSOCIATION" if _ASSOCIATION_CONTEXT & set(out) else "ASSOCIATES")
        else:
            out.append(ABBREVIATIONS.get(tok, tok))
    return out


def _strip_forms(tokens: list[str]) -> list[str]:
    """Drops THE at either end, legal forms anywhere, and a final company word (CO, COMPANY, LC ...)."""
    toks = [t for t in tokens if t not in LEGAL_FORMS]
    for phrase in _FORM_PHRASES:
        n = len(phrase)
        i = 0
        while i + n <= len(toks):
            if tuple(toks[i:i + n]) == phrase:
                # `, A VIRGINIA LIMITED LIABILITY COMPANY`: the article and the state go with it
                j = next((k for k in range(i - 1, max(i - 4, 0) - 1, -1) if toks[k] in ("A", "AN")), None)
                start = j if j is not None and j > 0 and i + n == len(toks) else i
                del toks[start:i + n]
                i = start
            else:
                i += 1
    while toks and toks[0] == "THE":
        toks.pop(0)
    while len(toks) > 1 and (toks[-1] in _FINAL_FORMS or toks[-1] == "THE"):
        toks.pop()
    return toks


def _personal(tokens: list[str]) -> bool:
    """At most four names (and ANDs), none of them a business, place or legal word."""
    return 0 < len([t for t in tokens if t != "AND"]) <= 4 and \
        all(t.isalpha() and t not in _NOT_PERSONAL for t in tokens)


def analyze(name: str) -> tuple[str, bool]:
    """(key, entity): `entity` is True when the name carries a legal form (LLC, INC, L.P. ...)."""
    text = _PARENS.sub(" ", fold(name))
    cut = _CUT.search(text)
    if cut and text[:cut.start()].strip(" ,;"):
        text = text[:cut.start()]
    text = _DIGIT_COMMA.sub("", text.replace("&", " AND ").replace("+", " AND "))
    tokens = _tokens(text)
    entity = any(t in LEGAL_FORMS for t in tokens) or any(
        tuple(tokens[i:i + len(p)]) == p for p in _FORM_PHRASES for i in range(len(tokens))) or (
        len(tokens) > 1 and tokens[-1] in _FINAL_FORMS)
    parts = [p for p in text.split(",") if _tokens(p) not in ([], ["THE"])] if "," in text else []
    if not entity and len(parts) == 2:  # SMITH, JOHN A -> JOHN A SMITH
        last, first = _tokens(parts[0]), _tokens(parts[1])
        if len(last) <= 3 and len(first) <= 3 and _personal(last) and _personal(first + last):
            suffix = [last.pop()] if len(last) > 1 and last[-1] in _SUFFIXES else []
            tokens = first + last + suffix
    stripped = _strip_forms(tokens)
    return " ".join(stripped or tokens), entity


def landlord_key(name: str) -> str:
    """The matching key: `landlord_key("The ABC Apts., L.L.C. T/A Park Towers") == "ABC APARTMENTS"`."""
    return analyze(name)[0]


def is_personal(key: str, entity: bool) -> bool:
    """A key that reads as one or a few people's names (`JOHN A SMITH`, `JOHN AND MARY SMITH`)."""
    return not entity and _personal(key.split())


def numbers(tokens: list[str]) -> tuple[str, ...]:
    """The numbers in a key (digits, and Roman numerals after the first word), sorted."""
    return tuple(sorted(t for i, t in enumerate(tokens) if any(c.isdigit() for c in t) or (i and t in ROMAN)))


def distinctive(tokens: list[str]) -> list[str]:
    """The words that say which landlord it is: not business words, not numbers."""
    return [t for t in tokens if t not in GENERIC and not any(c.isdigit() for c in t) and t not in ROMAN]


def generic(tokens: list[str]) -> list[str]:
    """The business words of a key (APARTMENTS, REALTY ...), without AT, OF, THE."""
    return [t for t in tokens if t in GENERIC and t not in ("AT", "OF", "THE")]
