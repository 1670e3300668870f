"""Table-driven tests for pipeline.normalize: party names, addresses, vocabularies."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.normalize import (
    NormalizedAddress,
    NormalizedParty,
    PersonName,
    ascii_fold,
    normalize_address,
    normalize_party,
    person_key,
)
from pipeline.normalize.names import strip_unit, surname_parts
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

P = PersonName


# ---------------------------------------------------------------------------- persons
# (raw, display name, PersonName)
PERSONS = [
    # the court's LAST, FIRST M form (fast path)
    ("PEÑA, MARISOL R", "PEÑA, MARISOL R", P("PEÑA", "MARISOL", "R", None)),
    ("SMITH JR, JOHN", "SMITH JR, JOHN", P("SMITH", "JOHN", None, "JR")),
    ("SMITH, JOHN A JR", "SMITH, JOHN A JR", P("SMITH", "JOHN", "A", "JR")),
    ("SMITH, JOHN A. JR.", "SMITH, JOHN A. JR.", P("SMITH", "JOHN", "A", "JR")),
    ("SMITH, JOHN, JR.", "SMITH, JOHN JR", P("SMITH", "JOHN", None, "JR")),
    ("SMITH SR., JOHN", "SMITH SR., JOHN", P("SMITH", "JOHN", None, "SR")),
    ("JONES, ROBERT III", "JONES, ROBERT III", P("JONES", "ROBERT", None, "III")),
    ("JONES II, ROBERT", "JONES II, ROBERT", P("JONES", "ROBERT", None, "II")),
    ("JONES, ROBERT L IV", "JONES, ROBERT L IV", P("JONES", "ROBERT", "L", "IV")),
    ("O'BRIEN, ROSA", "O'BRIEN, ROSA", P("O'BRIEN", "ROSA", None, None)),
    ("DE LA CRUZ, ANA MARIA", "DE LA CRUZ, ANA MARIA", P("DE LA CRUZ", "ANA", "MARIA", None)),
    ("NGUYEN, THI", "NGUYEN, THI", P("NGUYEN", "THI", None, None)),
    ("VAN DER BERG-SMITH, MARY ANN K", "VAN DER BERG-SMITH, MARY ANN K",
     P("VAN DER BERG-SMITH", "MARY", "ANN K", None)),
    ("PEÑA MUÑOZ, JOSÉ", "PEÑA MUÑOZ, JOSÉ", P("PEÑA MUÑOZ", "JOSÉ", None, None)),
    ("smith, john a.", "SMITH, JOHN A.", P("SMITH", "JOHN", "A", None)),
    ("  SMITH ,JOHN   Q  ", "SMITH, JOHN Q", P("SMITH", "JOHN", "Q", None)),
    ("SMITH,", "SMITH", P("SMITH", None, None, None)),
    ("SMITH, J. R.", "SMITH, J. R.", P("SMITH", "J", "R", None)),
    ("SMITH, MRS JANE", "SMITH, MRS JANE", P("SMITH", "JANE", None, None)),
    ("SMITH, JOHN ET AL", "SMITH, JOHN", P("SMITH", "JOHN", None, None)),
    ("SMITH, JOHN L.C.", "SMITH, JOHN L.C.", P("SMITH", "JOHN", "L C", None)),
    ("ALLEN, ALLISON", "ALLEN, ALLISON", P("ALLEN", "ALLISON", None, None)),
    ("JACOBSON, COREY", "JACOBSON, COREY", P("JACOBSON", "COREY", None, None)),
    ("DECO, MARCO", "DECO, MARCO", P("DECO", "MARCO", None, None)),
    # surname-like organization words do not make a LAST, FIRST name an organization
    ("CHURCH, JOHN A", "CHURCH, JOHN A", P("CHURCH", "JOHN", "A", None)),
    ("PLAZA, MARIA", "PLAZA, MARIA", P("PLAZA", "MARIA", None, None)),
    ("TOWERS, KEISHA", "TOWERS, KEISHA", P("TOWERS", "KEISHA", None, None)),
    ("CO, BENJAMIN", "CO, BENJAMIN", P("CO", "BENJAMIN", None, None)),
    # other shapes: nameparser
    ("JOHN SMITH", "JOHN SMITH", P("SMITH", "JOHN", None, None)),
    ("Mary-Jane O'Neil", "MARY-JANE O'NEIL", P("O'NEIL", "MARY-JANE", None, None)),
    ("John A. Smith Jr.", "JOHN A. SMITH JR.", P("SMITH", "JOHN", "A", "JR")),
    ("JOHN SMITH, JR.", "JOHN SMITH JR", P("SMITH", "JOHN", None, "JR")),
    ("JOHN SMITH 2ND", "JOHN SMITH 2ND", P("SMITH", "JOHN", None, "2ND")),
    ("JOSÉ PEÑA MUÑOZ", "JOSÉ PEÑA MUÑOZ", P("MUÑOZ", "JOSÉ", "PEÑA", None)),
    ("Maria de la Cruz III", "MARIA DE LA CRUZ III", P("DE LA CRUZ", "MARIA", None, "III")),
    ("Dr. Jane Q. Public, Esq.", "DR. JANE Q. PUBLIC, ESQ.", P("PUBLIC", "JANE", "Q", None)),
    ("MR JOHN SMITH", "MR JOHN SMITH", P("SMITH", "JOHN", None, None)),
    ("PRINCE", "PRINCE", P("PRINCE", None, None, None)),
    # couples: the first person named stands for the pair; the display keeps both
    ("SMITH, JOHN AND MARY", "SMITH, JOHN AND MARY", P("SMITH", "JOHN", None, None)),
    ("SMITH, JOHN & SMITH, MARY", "SMITH, JOHN & SMITH, MARY", P("SMITH", "JOHN", None, None)),
    ("JOHN AND MARY SMITH", "JOHN AND MARY SMITH", P("SMITH", "JOHN", None, None)),
    ("JOHN SMITH AND MARY JONES", "JOHN SMITH AND MARY JONES", P("SMITH", "JOHN", None, None)),
    # typographic apostrophe from a word processor
    ("O\u2019BRIEN, ROSA", "O'BRIEN, ROSA", P("O'BRIEN", "ROSA", None, None)),
]


@pytest.mark.parametrize(("raw", "display", "person"), PERSONS, ids=[p[0] for p in PERSONS])
def test_person_names(raw: str, display: str, person: PersonName) -> None:
    party = normalize_party(raw)
    assert party.kind == "person"
    assert party.raw == raw
    assert party.name == display
    assert party.person == person
    assert (party.dba, party.care_of, party.all_occupants) == (None, None, False)


# ---------------------------------------------------------------------- organizations
ORGANIZATIONS = [
    "ABC APARTMENTS LLC",
    "ABC PROPERTIES, L.L.C.",
    "ABC HOLDINGS, INC.",
    "XYZ CORP",
    "XYZ CORPORATION",
    "SMITH & CO",
    "SMITH AND COMPANY",
    "PARKVIEW ASSOCIATES LP",
    "PARKVIEW ASSOCIATES, L.P.",
    "JONES LLP",
    "WIDGETS LTD",
    "DOE LAW PLLC",
    "SMITH FAMILY TRUST",
    "JOHN DOE, TRUSTEE",
    "JOHN DOE, TRUSTEES",
    "WELLS FARGO BANK, N.A.",
    "BANK OF AMERICA",
    "ALEXANDRIA ASSOC",
    "PARK TOWERS",
    "PARK TOWERS APTS",
    "THE HAMILTON APT HOMES",
    "HOUSING AUTHORITY OF THE CITY OF ALEXANDRIA",
    "ALEXANDRIA REDEVELOPMENT AND HOUSING AUTHORITY",
    "ACME PROPERTY MGMT",
    "ACME PROPERTY MANAGEMENT",
    "SUNRISE REALTY",
    "OAK HOLDINGS",
    "OAK PARTNERS",
    "OAK LIMITED PARTNERSHIP",
    "OAK GROUP",
    "HUNTING CREEK VILLAGE",
    "LANDMARK COMMONS",
    "WATERGATE CONDOMINIUM",
    "BRADDOCK HOA",
    "BRADDOCK HOMEOWNERS ASSOCIATION",
    "CAPITAL FUND",
    "RIVER INVESTMENTS",
    "RIVER VENTURES",
    "RIVER ENTERPRISES",
    "FIRST BAPTIST CHURCH",
    "GEORGE MASON UNIVERSITY",
    "CITY OF ALEXANDRIA",
    "FAIRFAX COUNTY",
    "COMMONWEALTH OF VIRGINIA",
    "ESTATE OF JOHN SMITH",
    "1600 DUKE ST LLC",
    "THE BELMONT",
    "SMITH FAMILY, L.C.",
    "COSTCO WHOLESALE CORP",
    "PEÑA INVESTMENTS LLC",
    "JONES & SONS",
    "SMITH, JOHN L INC",
    "CORNERSTONE REAL ESTATE",
    "NAVY FEDERAL CREDIT UNION",
]


@pytest.mark.parametrize("raw", ORGANIZATIONS)
def test_organizations(raw: str) -> None:
    party = normalize_party(raw)
    assert party.kind == "organization"
    assert party.person is None
    assert party.name == " ".join(raw.upper().split())


# A token like CO, LP or INC inside a longer word never makes an organization.
@pytest.mark.parametrize("raw", [
    "COSTCO", "COLEMAN, CORA", "DECOSTA, COLIN", "JACOBSON, COREY", "LINCOLN, INCA", "ALPERT, CORPINA",
    "BANKSTON, TRUSTINA", "GROUPER, ANN", "COUNTYMAN, JOE", "LTDAVIS, DAN", "ALLCORN, LLOYD",
])
def test_short_tokens_inside_words_are_not_organizations(raw: str) -> None:
    assert normalize_party(raw).kind == "person"


# ------------------------------------------------------- trade names, care of, occupants
# (raw, dba column, kind, name, dba, care_of, all_occupants)
SPLITS = [
    ("ABC APARTMENTS LLC T/A PARK TOWERS", None, "organization", "ABC APARTMENTS LLC", "PARK TOWERS", None, False),
    ("ABC APARTMENTS LLC, T/A PARK TOWERS", None, "organization", "ABC APARTMENTS LLC", "PARK TOWERS", None, False),
    ("abc apartments llc t/a park towers", None, "organization", "ABC APARTMENTS LLC", "PARK TOWERS", None, False),
    ("ABC LLC DBA THE OAKS", None, "organization", "ABC LLC", "THE OAKS", None, False),
    ("ABC LLC D/B/A THE OAKS", None, "organization", "ABC LLC", "THE OAKS", None, False),
    ("ABC LLC D.B.A. THE OAKS", None, "organization", "ABC LLC", "THE OAKS", None, False),
    ("ABC LLC TRADING AS THE OAKS", None, "organization", "ABC LLC", "THE OAKS", None, False),
    ("ABC LLC DOING BUSINESS AS THE OAKS", None, "organization", "ABC LLC", "THE OAKS", None, False),
    ("XYZ L.L.C. C/O ABC MGMT", None, "organization", "XYZ L.L.C.", None, "ABC MGMT", False),
    ("XYZ LLC IN CARE OF ABC MGMT", None, "organization", "XYZ LLC", None, "ABC MGMT", False),
    ("ABC LLC D/B/A THE OAKS C/O XYZ MGMT", None, "organization", "ABC LLC", "THE OAKS", "XYZ MGMT", False),
    ("ABC LLC C/O XYZ MGMT T/A THE OAKS", None, "organization", "ABC LLC", "THE OAKS", "XYZ MGMT", False),
    ("SMITH, JOHN TRADING AS JS AUTO", None, "person", "SMITH, JOHN", "JS AUTO", None, False),
    ("SMITH, JOHN T/A JS AUTO", None, "person", "SMITH, JOHN", "JS AUTO", None, False),
    # the DBA/TA column, used when the name carries no trade name
    ("ABC LLC", "PARK TOWERS", "organization", "ABC LLC", "PARK TOWERS", None, False),
    ("ABC LLC", "T/A park  towers", "organization", "ABC LLC", "PARK TOWERS", None, False),
    ("ABC LLC", "", "organization", "ABC LLC", None, None, False),
    ("ABC LLC T/A THE OAKS", "PARK TOWERS", "organization", "ABC LLC", "THE OAKS", None, False),
    # occupants
    ("SMITH, JOHN AND ALL OTHER OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN & ALL OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND ALL OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("JONES, MARY AND ALL OTHERS", None, "person", "JONES, MARY", None, None, True),
    ("JONES, MARY, AND ALL OTHER OCCUPANTS", None, "person", "JONES, MARY", None, None, True),
    ("SMITH, JOHN (AND ALL OTHER OCCUPANTS)", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND ALL OTHER TENANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND UNKNOWN OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND ANY AND ALL OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND ALL OTHER OCCUPANTS OF THE PREMISES", None, "person", "SMITH, JOHN", None, None, True),
    ("SMITH, JOHN AND ALL OTHER OCCUPANTS OF 123 MAIN ST", None, "person", "SMITH, JOHN", None, None, True),
    ("smith, john and all other occupants", None, "person", "SMITH, JOHN", None, None, True),
    ("JOHN SMITH AND ALL OTHER OCCUPANTS", None, "person", "JOHN SMITH", None, None, True),
    ("SMITH, JOHN ET AL AND ALL OTHER OCCUPANTS", None, "person", "SMITH, JOHN", None, None, True),
    ("ALL OTHER OCCUPANTS", None, "occupants", "ALL OTHER OCCUPANTS", None, None, True),
    ("AND ALL OTHER OCCUPANTS", None, "occupants", "ALL OTHER OCCUPANTS", None, None, True),
    ("ALL OCCUPANTS", None, "occupants", "ALL OCCUPANTS", None, None, True),
    ("ALL OTHERS", None, "occupants", "ALL OTHERS", None, None, True),
    ("ANY AND ALL OCCUPANTS", None, "occupants", "ALL OCCUPANTS", None, None, True),
    ("(ALL OTHER OCCUPANTS)", None, "occupants", "ALL OTHER OCCUPANTS", None, None, True),
    # words that merely contain ALL / OCCUPANT are names
    ("KENDALL, TALLULAH", None, "person", "KENDALL, TALLULAH", None, None, False),
    ("BALLARD, ALLEN", None, "person", "BALLARD, ALLEN", None, None, False),
]


@pytest.mark.parametrize(
    ("raw", "dba_column", "kind", "name", "dba", "care_of", "occupants"), SPLITS, ids=[s[0] for s in SPLITS]
)
def test_trade_names_care_of_and_occupants(
    raw: str, dba_column: str | None, kind: str, name: str, dba: str | None, care_of: str | None, occupants: bool
) -> None:
    party = normalize_party(raw, dba_column)
    assert (party.kind, party.name, party.dba, party.care_of, party.all_occupants) == (
        kind, name, dba, care_of, occupants,
    )
    assert party.raw == raw
    if kind == "occupants":
        assert party.person is None
    if kind == "person":
        assert party.person is not None


def test_occupants_person_is_parsed_after_removal() -> None:
    party = normalize_party("PEÑA, MARISOL R AND ALL OTHER OCCUPANTS")
    assert party.person == P("PEÑA", "MARISOL", "R", None)


@pytest.mark.parametrize("raw", ["", "   ", "???", "12345", "-", ",", "T/A", "C/O", "ET AL", "&&&", "\x00"])
def test_odd_names_never_raise(raw: str) -> None:
    party = normalize_party(raw)
    assert isinstance(party, NormalizedParty)
    assert party.kind in {"person", "organization", "occupants"}
    assert party.raw == raw


def test_empty_name_is_an_unparsed_person() -> None:
    assert normalize_party("") == NormalizedParty("", "person", "", None, None, None, False)


def test_normalize_party_is_memoized_and_frozen() -> None:
    first = normalize_party("MEMO, TEST A")
    assert normalize_party("MEMO, TEST A") is first
    assert normalize_party.cache_info().maxsize >= 10_000
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "X"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.person.last = "X"  # type: ignore[union-attr,misc]


# ------------------------------------------------------------------ keys and folding
@pytest.mark.parametrize(("text", "folded"), [
    ("PEÑA MUÑOZ, JOSÉ", "PENA MUNOZ, JOSE"),
    ("Çelik, Zoë", "Celik, Zoe"),
    ("Straße", "Strasse"),
    ("ØSTERGÅRD, ÆSA", "OSTERGARD, AESA"),
    ("ŁUKASZ", "LUKASZ"),
    ("O\u2019BRIEN", "O'BRIEN"),
    ("SMITH, JOHN", "SMITH, JOHN"),
    ("", ""),
])
def test_ascii_fold(text: str, folded: str) -> None:
    assert ascii_fold(text) == folded


@pytest.mark.parametrize(("a", "b"), [
    ("PEÑA, MARISOL R", "PENA, MARISOL"),
    ("O'BRIEN, ROSA", "OBRIEN, ROSA M"),
    ("DE LA CRUZ, ANA MARIA", "DELACRUZ, ANA"),
    ("SMITH JR, JOHN", "SMITH, JOHN A"),
    ("Mary-Jane O'Neil", "ONEIL, MARYJANE"),
    ("John A. Smith Jr.", "SMITH, JOHN"),
    ("SMITH, JOHN AND ALL OTHER OCCUPANTS", "SMITH, JOHN"),
])
def test_person_key_links_spellings(a: str, b: str) -> None:
    key_a = person_key(normalize_party(a).person)  # type: ignore[arg-type]
    key_b = person_key(normalize_party(b).person)  # type: ignore[arg-type]
    assert key_a == key_b


@pytest.mark.parametrize(("person", "key"), [
    (P("PEÑA MUÑOZ", "JOSÉ", None, None), "PENAMUNOZ|JOSE"),
    (P("O'BRIEN", "ROSA", "M", "JR"), "OBRIEN|ROSA"),
    (P("Smith", None, None, None), "SMITH|"),
    (P("VAN DER BERG-SMITH", "MARY ANN", None, None), "VANDERBERGSMITH|MARYANN"),
])
def test_person_key_format(person: PersonName, key: str) -> None:
    assert person_key(person) == key


def test_different_people_have_different_keys() -> None:
    assert person_key(P("SMITH", "JOHN", None, None)) != person_key(P("SMITH", "JANE", None, None))
    assert person_key(P("SMITH", "JOHN", None, None)) != person_key(P("JOHN", "SMITH", None, None))


# ------------------------------------------------------------------------ addresses
A = NormalizedAddress
ADDRESSES = [
    # the shape Virginia's public pages show
    ("ALEXANDRIA, VA 22304", A("ALEXANDRIA, VA 22304", None, None, "ALEXANDRIA", "VA", "22304")),
    ("ALEXANDRIA, VA 22304-6789", A("ALEXANDRIA, VA 22304-6789", None, None, "ALEXANDRIA", "VA", "22304")),
    ("ALEXANDRIA VA 22314", A("ALEXANDRIA VA 22314", None, None, "ALEXANDRIA", "VA", "22314")),
    ("alexandria,va 22314", A("alexandria,va 22314", None, None, "ALEXANDRIA", "VA", "22314")),
    ("  FALLS   CHURCH ,  VA   22041 ",
     A("  FALLS   CHURCH ,  VA   22041 ", None, None, "FALLS CHURCH", "VA", "22041")),
    ("FT. BELVOIR, VA 22060", A("FT. BELVOIR, VA 22060", None, None, "FT BELVOIR", "VA", "22060")),
    ("WASHINGTON, DC 20001", A("WASHINGTON, DC 20001", None, None, "WASHINGTON", "DC", "20001")),
    ("OXON HILL, MD 207451234", A("OXON HILL, MD 207451234", None, None, "OXON HILL", "MD", "20745")),
    ("ALEXANDRIA, VA", A("ALEXANDRIA, VA", None, None, "ALEXANDRIA", "VA", None)),
    # full street addresses (usaddress)
    ("123 MAIN ST APT 4B, ALEXANDRIA, VA 22304",
     A("123 MAIN ST APT 4B, ALEXANDRIA, VA 22304", "123 MAIN ST", "APT 4B", "ALEXANDRIA", "VA", "22304")),
    ("4500 SEMINARY RD #1203 ALEXANDRIA VA 22304-1234",
     A("4500 SEMINARY RD #1203 ALEXANDRIA VA 22304-1234", "4500 SEMINARY RD", "# 1203", "ALEXANDRIA", "VA", "22304")),
    ("123 N Washington St. Apt. #2, Alexandria, Virginia 22314",
     A("123 N Washington St. Apt. #2, Alexandria, Virginia 22314", "123 N WASHINGTON ST", "APT 2", "ALEXANDRIA", "VA",
       "22314")),
    ("3001 PARK CENTER DR SUITE 500 ALEXANDRIA VA 22302",
     A("3001 PARK CENTER DR SUITE 500 ALEXANDRIA VA 22302", "3001 PARK CENTER DR", "STE 500", "ALEXANDRIA", "VA",
       "22302")),
    ("5 W GLEBE RD UNIT 2 BLDG 3 ALEXANDRIA VA 22305",
     A("5 W GLEBE RD UNIT 2 BLDG 3 ALEXANDRIA VA 22305", "5 W GLEBE RD", "UNIT 2 BLDG 3", "ALEXANDRIA", "VA", "22305")),
    ("PO BOX 1234, ALEXANDRIA, VA 22313",
     A("PO BOX 1234, ALEXANDRIA, VA 22313", "PO BOX 1234", None, "ALEXANDRIA", "VA", "22313")),
    ("123 MAIN ST APT 4B", A("123 MAIN ST APT 4B", "123 MAIN ST", "APT 4B", None, None, None)),
    # garbage: never raises, reads what it can
    ("N/A", A("N/A", None, None, None, None, None)),
    ("!!!", A("!!!", None, None, None, None, None)),
    ("asdf qwer zxcv", A("asdf qwer zxcv", None, None, None, None, None)),
    ("22304", A("22304", None, None, None, None, "22304")),
    ("ALEXANDRIA, XX 22304", A("ALEXANDRIA, XX 22304", None, None, "ALEXANDRIA", None, "22304")),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES, ids=[a[0] for a in ADDRESSES])
def test_addresses(text: str, expected: NormalizedAddress) -> None:
    assert normalize_address(text) == expected


@pytest.mark.parametrize("written", ["Apt 14", "Apt. #14", "Apartment No. 14", "APT NUMBER 14", "apartment # 14"])
def test_one_unit_however_a_county_writes_it(written: str) -> None:
    """Odyssey counties write units their own ways; one household must still link."""
    assert normalize_address(f"12 Oak St {written}, Austin, TX 78724").unit == "APT 14"


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_empty_address_is_none(text: str | None) -> None:
    assert normalize_address(text) is None


@pytest.mark.parametrize("text", [
    "1 Main St Main St", "# # #", "APT APT APT", "123", "VA", ",,,,", "PO BOX", "\x00\x01", "é" * 300,
    "123 MAIN ST, 456 OAK AVE, ALEXANDRIA, VA 22304", "UNIT 5 UNIT 6 UNIT 7",
])
def test_odd_addresses_never_raise(text: str) -> None:
    address = normalize_address(text)
    assert isinstance(address, NormalizedAddress)
    assert address.raw == text
    assert address.state is None or len(address.state) == 2
    assert address.zip5 is None or (len(address.zip5) == 5 and address.zip5.isdigit())


# ---------------------------------------------------------------------- vocabularies
HEARING = [
    (None, "pending"), ("", "pending"), ("   ", "pending"),
    ("Continued", "continued"), ("CONTINUED", "continued"), (" continued ", "continued"),
    ("Continuance", "continued"), ("Cont.", "continued"), ("Cont'd", "continued"),
    ("Continued - Defendant Request", "continued"),
    ("Default Judgment", "default_judgment"), ("DEFAULT  JUDGMENT", "default_judgment"),
    ("Default Judgement", "default_judgment"), ("Default", "default_judgment"),
    ("Judgment", "judgment"), ("Judgment Entered", "judgment"), ("JUDGMENT ENTERED FOR PLAINTIFF", "judgment"),
    ("Judgement", "judgment"),
    ("Dismissed", "dismissed"), ("Dismissal", "dismissed"), ("Dismissed Without Prejudice", "dismissed"),
    ("Non-suit", "non_suit"), ("Nonsuit", "non_suit"), ("Non Suit", "non_suit"), ("NON-SUITED", "non_suit"),
    ("Other", "other"), ("OTHER", "other"),
    ("Contested", "unknown"), ("Settled", "unknown"), ("Withdrawn", "unknown"), ("Other stuff", "unknown"),
    ("???", "unknown"), ("-", "unknown"),
]


@pytest.mark.parametrize(("raw", "code"), HEARING)
def test_hearing_result(raw: str | None, code: str) -> None:
    assert VA_GDC.hearing_result(raw) == code


JUDGMENT = [
    (None, "none"), ("", "none"), ("  ", "none"), ("NONE", "none"),
    ("Plaintiff", "plaintiff"), ("PLAINTIFF", "plaintiff"), ("Judgment for Plaintiff", "plaintiff"),
    ("JUDGMENT FOR PLAINTIFF", "plaintiff"), ("PLTF", "plaintiff"), ("Pltf.", "plaintiff"),
    ("Plaintiffs", "plaintiff"), ("For Plaintiff", "plaintiff"), ("Judgement for the Plaintiff", "plaintiff"),
    ("Defendant", "defendant"), ("Judgment for Defendant", "defendant"), ("DEFT", "defendant"),
    ("Deft.", "defendant"), ("Defendants", "defendant"),
    ("Other", "other"), ("OTHER", "other"),
    ("Judgment", "unknown"), ("Split", "unknown"), ("Plaintive", "unknown"), ("Defense", "unknown"),
    ("???", "unknown"),
]


@pytest.mark.parametrize(("raw", "code"), JUDGMENT)
def test_judgment_for(raw: str | None, code: str) -> None:
    assert VA_GDC.judgment_for(raw) == code


@pytest.mark.parametrize(("written", "name"), [
    ("MARK ROGERS APT. 297", "MARK ROGERS"), ("Nguyen, Paul Apt. 417", "Nguyen, Paul"),
    ("OSEI, RICHARD F APT 164D", "OSEI, RICHARD F"), ("Ruiz, Ana #4B", "Ruiz, Ana"),
    ("Smith, Ana Unit B", "Smith, Ana"), ("Lee, Kim Ste 200", "Lee, Kim"),
    ("Unit, Ana", "Unit, Ana"), ("Ana Ste. Marie", "Ana Ste. Marie"),  # no unit number: a name
])
def test_a_unit_written_in_a_name_cell_is_cut(written: str, name: str) -> None:
    assert strip_unit(written) == name


def test_double_surnames_split_in_two() -> None:
    assert surname_parts("TESFAYE GRAY") == ("TESFAYE", "GRAY") == surname_parts("TESFAYE-GRAY")
    assert surname_parts("GRAY") == () and surname_parts("DE LA CRUZ") == ()

