"""Parsers for the Virginia GDC pages the adapter reads: hearing-date results and case detail."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable

from scraper.courts.va_gdc.court_list import has_court_list, listed_courts
from scraper.courts.va_gdc.markup import (
    CASE_NUMBER_RE,
    MAX_GRID_ROWS,
    MAX_PAGE_BYTES,
    Element,
    GridShapeError,
    OversizedCellError,
    PageKind,
    RepeatedSectionError,
    Section,
    classify,
    norm,
    opt,
    parse_date,
    parse_money,
    parse_time,
    parse_yes_no,
    read_page,
    sections,
    text_of,
    without_hidden_text,
)
from scraper.courts.va_gdc.results import parse_result_page
from scraper.errors import LayoutError, TruncatedPageError, UnexpectedPageError
from scraper.records import (
    Appeal,
    CaseRecord,
    Garnishment,
    Hearing,
    Judgment,
    Party,
    Report,
    Service,
)

# Section titles as the portal writes them, with the older or variant spellings public
# scrapers have met. Anything else is an unknown section: ignored, counted.
TITLES = {
    "case": {"case information"},
    "plaintiffs": {"plaintiff information", "plaintiffs information"},
    "defendants": {"defendant information", "defendants information"},
    "hearings": {"hearing information"},
    "services": {"service/process", "service/process information", "service information"},
    "reports": {"reports", "report information"},
    "judgment": {"judgment information"},
    "garnishment": {"garnishment information"},
    "appeal": {"appeal information"},
}

# Sections that may come split over several tables (defendants beyond a table's room, as in
# tests/golden/va-gdc/hand-detail-quirks.html): their rows add up. Every other section is shown once.
REPEATABLE = {"plaintiffs", "defendants"}
REPLACED = "\ufffd"  # what a decoder writes for bytes it could not decode

CASE_LABELS = {
    "case number": "case_number",
    "filed date": "filed_date",
    "date filed": "filed_date",
    "case type": "case_type",
    "debt type": "debt_type",
}

JUDGMENT_LABELS = {
    "judgment": "judgment",
    "costs": "costs",
    "attorney fees": "attorney_fees",
    "attorney's fees": "attorney_fees",
    "principal amount": "principal",
    "other amount": "other_amount",
    "interest award": "interest_award",
    "possession": "possession",
    "writ of eviction issued date": "writ_issued_date",
    "writ issued date": "writ_issued_date",
    "writ of eviction executed date": "writ_executed_date",
    "writ executed date": "writ_executed_date",
    "homestead exemption waived": "homestead_exemption_waived",
    "writ of fieri facias issued date": "fifa_issued_date",
    "is judgment satisfied": "satisfied",
    "date satisfaction filed": "satisfaction_filed_date",
    "other awarded": "other_awarded",
    "further case information": "further_case_information",
}
_MONEY = {"costs", "attorney_fees", "principal", "other_amount"}
_DATES = {"writ_issued_date", "writ_executed_date", "fifa_issued_date", "satisfaction_filed_date"}
_BOOLS = {"possession", "homestead_exemption_waived", "satisfied"}

GARNISH_LABELS = {
    "garnishee": "garnishee",
    "address": "address",
    "garnishee answer": "garnishee_answer",
    "answer date": "answer_date",
    "number of checks received": "number_of_checks_received",
}
APPEAL_LABELS = {"appeal date": "appeal_date", "appealed by": "appealed_by"}

PARTY_COLUMNS = {"name": "name", "dba/ta": "dba", "dba": "dba", "t/a": "dba", "address": "address",
                 "judgment": "judgment", "attorney": "attorney"}
HEARING_COLUMNS = {"date": "date", "time": "time", "result": "result", "hearing type": "type",
                   "type": "type", "courtroom": "courtroom"}
SERVICE_COLUMNS = {"person served": "person_served", "process type": "process_type",
                   "date issued": "date_issued", "date served": "date_served",
                   "plaintiff": "plaintiff", "how served": "how_served"}
REPORT_COLUMNS = {"report type": "report_type", "reporting agency": "reporting_agency",
                  "date ordered": "date_ordered", "date due": "date_due",
                  "date received": "date_received"}


def matter_key(case_number: str) -> str:
    return case_number.rsplit("-", 1)[0]


def parse_case_page(html: str, page: str, court: str | None = None) -> CaseRecord:
    """An archived page that should be a case detail (reparse): classified and read from one tree."""
    doc = read_page(html, page)
    kind = classify(doc)
    if kind not in (PageKind.DETAIL, PageKind.OTHER):
        raise UnexpectedPageError(page, "a case-detail page", kind.value.replace("_", " "))
    return case_record(doc, page, court)


def parse_case_detail(html: str, page: str, court: str | None = None, *, max_page_bytes: int = MAX_PAGE_BYTES,
                      max_grid_rows: int = MAX_GRID_ROWS) -> CaseRecord:
    """A case-detail page as a CaseRecord; LayoutError when a required part is missing."""
    return case_record(read_page(html, page, max_page_bytes, max_grid_rows), page, court, max_grid_rows)


def case_record(doc: Element, page: str, court: str | None = None, max_grid_rows: int = MAX_GRID_ROWS) -> CaseRecord:
    try:
        found = sections(without_hidden_text(doc), max_grid_rows)
    except GridShapeError as exc:
        raise LayoutError(page, "grid row cells matching the header", str(exc)) from None
    except RepeatedSectionError as exc:
        raise LayoutError(page, f"single section {exc.args[0]!r}", "the title appears more than once") from None
    except OversizedCellError as exc:
        raise LayoutError(page, "cell of a size the portal serves", str(exc)) from None
    return record_of_sections(found, page, court, lambda: _looks_like(doc))


def record_of_sections(found: dict[str, Section], page: str, court: str | None,
                       looks_like: Callable[[], str]) -> CaseRecord:
    """The case record a detail page's sections hold (whatever read them off the page)."""
    if "case information" not in found and not any(t in TITLES["case"] for t in found):
        raise UnexpectedPageError(page, "a case-detail page", looks_like(), "it has no section 'Case Information'")
    by_role: dict[str, Section] = {}
    unknown: list[str] = []
    for title, section in found.items():
        role = next((r for r, names in TITLES.items() if title in names), None)
        if role is None:
            unknown.append(f"section:{title}")
            continue
        earlier = by_role.get(role)
        _once(role, section, earlier, page)
        unknown.extend(_undecodable(section))
        # A party grid under a second spelling of its title: its rows add up.
        by_role[role] = section if earlier is None else Section(earlier.title, grids=[*earlier.grids, *section.grids])

    case = _require(by_role, "case", page)
    info = _labels(case, CASE_LABELS, unknown)
    for required in ("case_number", "filed_date", "case_type"):
        if not info.get(required):
            raise LayoutError(page, f"Case Information label {required.replace('_', ' ').title()}")
    number = info["case_number"].upper().replace(" ", "")
    if not CASE_NUMBER_RE.match(number):
        raise LayoutError(page, "Case Number", f"not a GVyyNNNNNN-NN number ({len(number)} characters)")

    filed = parse_date(info["filed_date"], unknown, "filed_date")
    if filed is None:
        raise LayoutError(page, "Case Information label Filed Date", "unreadable date")
    plaintiffs = _parties(_require_grid(by_role, "plaintiffs", page), page, "Plaintiff")
    defendants = _parties(_require_grid(by_role, "defendants", page), page, "Defendant")
    hearing_rows = _require_grid(by_role, "hearings", page)
    hearings = tuple(_hearing(row, page, unknown) for row in hearing_rows)

    return CaseRecord(
        court=court,
        case_number=number,
        matter_key=matter_key(number),
        filed_date=filed,
        case_type=info["case_type"],
        debt_type=opt(info.get("debt_type")),
        plaintiffs=plaintiffs,
        defendants=defendants,
        hearings=hearings,
        services=tuple(_services(by_role.get("services"), unknown)),
        reports=tuple(_reports(by_role.get("reports"), unknown)),
        judgment=_judgment(by_role.get("judgment"), unknown),
        garnishment=_garnishment(by_role.get("garnishment"), unknown),
        appeal=_appeal(by_role.get("appeal"), unknown),
        unknown_fields=tuple(unknown),
    )


def _looks_like(doc: Element) -> str:
    """What a page that is no case detail seems to be, for the error message."""
    if next(doc.iter("form"), None) is not None and next(doc.iter("input", "select"), None) is not None:
        return "search form"
    if "welcome" in text_of(doc).lower():
        return "welcome"
    title = next(doc.iter("title"), None)
    name = text_of(title) if title is not None else ""
    return f"{name!r}" if name else "unrecognised"


def _once(role: str, section: Section, earlier: Section | None, page: str) -> None:
    """A section the portal shows once, met twice, is a layout error: its rows would count twice
    (the markup reader already refuses a repeated label section)."""
    if role in REPEATABLE:
        return
    if len(section.grids) > 1:
        raise LayoutError(page, f"single section {section.title!r}", "the title appears more than once")
    if earlier is not None:
        raise LayoutError(page, f"single section {section.title!r}", f"the page also has {earlier.title!r}")


def _undecodable(section: Section) -> list[str]:
    """One unread value for each value holding U+FFFD: bytes the page's charset could not decode
    (the decoders replace them rather than stop the court)."""
    values = list(section.labels.items())
    values += [(column, value) for row in section.grid or [] for column, value in row.items()]
    return [f"undecodable:{section.title}:{name}" for name, value in values if REPLACED in value]


def _require(by_role: dict[str, Section], role: str, page: str) -> Section:
    if role not in by_role:
        title = sorted(TITLES[role])[0].title()
        raise LayoutError(page, f"section {title!r}")
    return by_role[role]


def _require_grid(by_role: dict[str, Section], role: str, page: str) -> list[dict[str, str]]:
    section = _require(by_role, role, page)
    if section.grid is None:
        raise LayoutError(page, f"grid header row in section {section.title!r}")
    return section.grid


def _labels(section: Section, names: dict[str, str], unknown: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for label, value in section.labels.items():
        name = names.get(label)
        if name is None:
            unknown.append(f"label:{section.title}:{label}")
        else:
            out[name] = value
    return out


def _columns(row: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    return {names[h]: v for h, v in row.items() if h in names}


def _parties(rows: list[dict[str, str]], page: str, role: str) -> tuple[Party, ...]:
    parties = []
    for row in rows:
        cols = _columns(row, PARTY_COLUMNS)
        if "name" not in cols:
            raise LayoutError(page, f"{role} Information column Name")
        if not cols["name"]:
            continue  # a blank row, as the portal pads grids
        parties.append(Party(name=cols["name"], dba=opt(cols.get("dba")), address=opt(cols.get("address")),
                             judgment=opt(cols.get("judgment")), attorney=opt(cols.get("attorney"))))
    if not parties:
        # Every civil case has a plaintiff and a defendant: an empty grid means we misread it.
        raise LayoutError(page, f"{role} Information rows", "the grid has a header but no party")
    return tuple(parties)


def _hearing(row: dict[str, str], page: str, unknown: list[str]) -> Hearing:
    cols = _columns(row, HEARING_COLUMNS)
    when = parse_date(cols.get("date"), unknown, "hearing_date")
    if when is None:
        raise LayoutError(page, "Hearing Information column Date", "no readable date")
    return Hearing(date=when, time=parse_time(cols.get("time"), unknown, "hearing_time"),
                   result=opt(cols.get("result")), type=opt(cols.get("type")),
                   courtroom=opt(cols.get("courtroom")))


def _services(section: Section | None, unknown: list[str]):
    for row in (section.grid or []) if section else []:
        cols = _columns(row, SERVICE_COLUMNS)
        yield Service(
            person_served=opt(cols.get("person_served")), process_type=opt(cols.get("process_type")),
            date_issued=parse_date(cols.get("date_issued"), unknown, "service_date_issued"),
            date_served=parse_date(cols.get("date_served"), unknown, "service_date_served"),
            plaintiff=opt(cols.get("plaintiff")), how_served=opt(cols.get("how_served")))


def _reports(section: Section | None, unknown: list[str]):
    for row in (section.grid or []) if section else []:
        cols = _columns(row, REPORT_COLUMNS)
        yield Report(
            report_type=opt(cols.get("report_type")), reporting_agency=opt(cols.get("reporting_agency")),
            date_ordered=parse_date(cols.get("date_ordered"), unknown, "report_date_ordered"),
            date_due=parse_date(cols.get("date_due"), unknown, "report_date_due"),
            date_received=parse_date(cols.get("date_received"), unknown, "report_date_received"))


def _judgment(section: Section | None, unknown: list[str]) -> Judgment | None:
    if section is None:
        return None
    values = _labels(section, JUDGMENT_LABELS, unknown)
    if not any(norm(v) for v in values.values()):
        return None  # section shown, nothing entered: no judgment yet
    fields: dict[str, object] = {}
    for name, text in values.items():
        if name in _MONEY:
            fields[name] = parse_money(text, unknown, name)
        elif name in _DATES:
            fields[name] = parse_date(text, unknown, name)
        elif name in _BOOLS:
            fields[name] = parse_yes_no(text, unknown, name)
        else:
            fields[name] = opt(text)
    return Judgment(**fields)


def _garnishment(section: Section | None, unknown: list[str]) -> Garnishment | None:
    if section is None:
        return None
    values = _labels(section, GARNISH_LABELS, unknown)
    if not any(norm(v) for v in values.values()):
        return None
    fields = {k: opt(v) for k, v in values.items()}
    fields["answer_date"] = parse_date(values.get("answer_date"), unknown, "garnishment_answer_date")
    return Garnishment(**fields)


def _appeal(section: Section | None, unknown: list[str]) -> Appeal | None:
    if section is None:
        return None
    values = _labels(section, APPEAL_LABELS, unknown)
    if not any(norm(v) for v in values.values()):
        return None
    return Appeal(appeal_date=parse_date(values.get("appeal_date"), unknown, "appeal_date"),
                  appealed_by=opt(values.get("appealed_by")))


def page_kind(html: str) -> PageKind:
    return classify(html)


def describe_page(html: str, url: str) -> dict[str, Any]:
    """Any saved portal page as plain data: its kind and what the parsers read from it.

    The golden-page test compares this with the expected JSON saved beside each page.
    """
    kind = page_kind(html)
    out: dict[str, Any] = {"kind": kind.value}
    try:
        if kind is PageKind.DETAIL:
            record = parse_case_detail(html, url)
            out["case"] = record.model_dump(mode="json")
            out["unknown_fields"] = sorted(record.unknown_fields)
        elif kind is PageKind.RESULTS:
            result = parse_result_page(html, url, None)
            out["rows"] = [asdict(row) for row in result.rows]
            out["has_next"] = result.has_next
            out["bad_numbers"] = result.bad_numbers
        elif kind is PageKind.OTHER and has_court_list(html):
            out["courts"] = [asdict(court) for court in listed_courts(html, url)]
    except (LayoutError, TruncatedPageError) as exc:
        out["error"] = {"type": type(exc).__name__, "field": getattr(exc, "field", None)}
    return out
