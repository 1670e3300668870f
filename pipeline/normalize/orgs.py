"""Is a party name an organization? Whole-token, punctuation-insensitive vocabulary tests.

Tokens are read after ASCII folding with dots and apostrophes dropped, so ``L.L.C.`` is
``LLC`` and ``INC.`` is ``INC``; a token only matches whole, so ``COSTCO`` or ``JACOBSON``
never match ``CO``.

Words that are also real surnames (``CHURCH``, ``PLAZA``, ``CO`` …, the *weak* set) count
only when the name is not written as the court's person form ``LAST, FIRST M``:
``FIRST BAPTIST CHURCH`` is an organization, ``CHURCH, JOHN A`` is a person.
"""

from __future__ import annotations

import re

from pipeline.normalize.text import ascii_fold

__all__ = ["ORG_TOKENS", "ORG_WEAK_TOKENS", "ORG_PHRASES", "org_tokens", "is_organization"]

ORG_TOKENS = frozenset("""
    LLC LLLP LLP LP LTD LIMITED PLLC PLC PC INC INCORPORATED CORP CORPORATION COMPANY
    TRUST TRUSTS TRUSTEE TRUSTEES BANK BANCORP FSB ASSOCIATES ASSOCS ASSOC ASSN ASSOCIATION
    APARTMENTS APARTMENT APTS HOUSING AUTHORITY PROPERTIES PROPERTY PROPS PROP MANAGEMENT MGMT
    MGT MNGT REALTY REALTORS REALTOR HOLDINGS HOLDING PARTNERS PARTNERSHIP GROUP
    CONDOMINIUM CONDOMINIUMS CONDO CONDOS HOA POA COA FUND FUNDS INVESTMENTS INVESTMENT
    INVESTORS VENTURES VENTURE ENTERPRISES ENTERPRISE INDUSTRIES UNIVERSITY COLLEGE SCHOOL
    SCHOOLS COUNTY COMMONWEALTH MINISTRIES MINISTRY DIOCESE FOUNDATION INSTITUTE SOCIETY
    COOPERATIVE COOP SERVICES SOLUTIONS CAPITAL FINANCIAL FINANCE CREDIT MORTGAGE LENDING LOANS
    INSURANCE RESIDENTIAL RESIDENCES COMMUNITIES COMMUNITY HOMES ESTATES GARDENS TERRACE HEIGHTS
    POINTE CROSSING CROSSINGS LOFTS SUITES HOTEL MOTEL CENTER CENTRE HOSPITAL CLINIC LEASING
    RENTALS RENTAL DEVELOPMENT DEVELOPERS BUILDERS CONSTRUCTION OWNER OWNERS REIT RESOURCES
    INTERNATIONAL SYSTEMS NATIONAL FEDERAL GOVERNMENT DEPARTMENT DEPT COMMISSION AGENCY OFFICE
    SONS BROTHERS BROS LANDLORD LANDLORDS ESTATE
""".split())

# Also surnames: organization words only when the name is not in `LAST, FIRST M` form.
ORG_WEAK_TOKENS = frozenset("""
    CO LC CHURCH PARISH VILLAGE VILLAGES COMMONS PLAZA SQUARE MANOR TOWER TOWERS
""".split())

ORG_PHRASES = (
    "CITY OF", "TOWN OF", "COUNTY OF", "STATE OF", "COMMONWEALTH OF", "ESTATE OF", "REAL ESTATE",
    "APT HOMES", "HOUSING AUTHORITY", "UNITED STATES", "SECRETARY OF", "BOARD OF",
    "CREDIT UNION", "ON BEHALF OF",
)
_PHRASE_FIRST = frozenset(p.split()[0] for p in ORG_PHRASES)
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(p.replace(" ", r"\s") for p in ORG_PHRASES) + r")\b")

_DROP = str.maketrans("", "", ".'")
_TOKEN = re.compile(r"[A-Z0-9]+")
_DIGIT = re.compile(r"\d")
_ORDINAL = frozenset({"2ND", "3RD", "4TH", "5TH"})  # generational suffixes, not street numbers


def org_tokens(upper: str) -> list[str]:
    """Whole tokens of an upper-case name, folded, with dots and apostrophes dropped."""
    text = ascii_fold(upper)
    if "." in text or "'" in text:
        text = text.translate(_DROP)
    return _TOKEN.findall(text)


def is_organization(upper: str, given: str | None = None) -> bool:
    """True when an upper-case party name reads as an organization.

    ``given``: when the name is written ``LAST, FIRST M``, the part after the comma. Weak
    (surname-like) words are then not enough, unless that part is nothing but entity
    words (``SMITH FAMILY, L.C.``, ``JONES & CO``).
    """
    tokens = org_tokens(upper)
    if not tokens:
        return False
    if tokens[0] == "THE":
        return True
    if not ORG_TOKENS.isdisjoint(tokens):
        return True
    if not ORG_WEAK_TOKENS.isdisjoint(tokens):
        if given is None:
            return True
        after = org_tokens(given)
        if after and all(t in ORG_WEAK_TOKENS or t == "THE" for t in after):
            return True
    if _DIGIT.search(upper) and any(_DIGIT.search(t) and t not in _ORDINAL for t in tokens):
        return True
    if _PHRASE_FIRST.isdisjoint(tokens):
        return False
    return _PHRASE_RE.search(" ".join(tokens)) is not None
