"""A partner's own watch list, read from its CSV or XLSX file: people (a name, a ZIP code if
known) and case numbers, each with the partner's own row id.

Columns are found by their header, in any order and case: `id` (or `row id`, `client id`;
default the row number), `name` (or `last name` with `first name`), `zip` (or `zip code`),
`case number` (or `case`), `court` (the court's id in the configuration, for a case number),
`address` (or `street`: kept only as its house number and street name, compared where the
court's portal shows tenants' streets).
A date-of-birth column refuses the whole file: the portals show no
birth dates, and evictwatch does not keep what it cannot use. A row it cannot read is reported
by its row number and column, and the others are still read. Rows are read one at a time
(WatchList): a list of any size is never held whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.linkage.names import NameKey, name_key
from pipeline.sheets import RowProblem, cell_line, sheet_rows
from pipeline.linkage.streets import street_key

HEADERS = {
    "row_id": ("id", "row id", "client id", "record id"),
    "name": ("name", "full name", "tenant", "tenant name"),
    "last": ("last name", "surname", "family name"),
    "first": ("first name", "given name"),
    "zip5": ("zip", "zip code", "zipcode", "postal code"),
    "case_number": ("case number", "case", "case no"),
    "court": ("court", "court id"),
    "street": ("street", "address", "street address", "address line 1", "address 1", "street 1"),
}
BIRTH_DATES = ("dob", "d o b", "date of birth", "birth date", "birthdate", "born", "birthday",
               "fecha de nacimiento", "nacimiento", "fecha nacimiento")
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")


class WatchListError(Exception):
    """The file cannot be read at all; the message names the file (and the column)."""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    row_id: str             # the partner's id for the row (its own reference; never a name)
    name: str | None        # as written, cleaned of control characters
    zip5: str | None
    case_number: str | None
    court: str | None = field(default=None, compare=False)  # the court (config id) of the case number
    row: int = field(default=0, compare=False)  # its row in the file (1 = the header), for reports
    own_id: bool = field(default=True, compare=False)  # False: the file has no id column (row_id is the row)
    key: NameKey | None = field(default=None, compare=False, repr=False)  # the name as the matcher reads it
    street: str | None = field(default=None, compare=False, repr=False)  # its key only (pipeline.linkage.streets)


def _header(text: object) -> str:
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    folded = re.sub(r"\(.*?\)|\[.*?\]", " ", folded)  # "Date of birth (MM/DD/YYYY)"
    return " ".join(re.sub(r"[_\-.:/#]+", " ", folded).lower().split())


class WatchList:
    """A watch list opened for reading: the header row is checked at once (WatchListError), the
    rows are read one at a time as they are iterated, each a WatchEntry or the RowProblem that
    kept it out, in the file's order. A list of any size is never held whole; only the ids
    seen are kept, to refuse one used twice. Use it as a context manager: it holds the file open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._table = sheet_rows(path, WatchListError, "a watch list")
        try:
            header = next(self._table, None)
            if not header:
                raise WatchListError(f"{path}: the file is empty (a header row is expected: name, zip, case number)")
            names = [_header(h) for h in header]
            for position, name in enumerate(names):
                if name in BIRTH_DATES:
                    raise WatchListError(f"{path}: column {position + 1} ({cell_line(header[position])!r}) holds dates "
                                         "of birth; remove it: court portals show none, and evictwatch does not "
                                         "store them")
            self.columns = _columns(path, header, names)
        except BaseException:
            self.close()
            raise
        self.labels = {key: cell_line(header[i]) for key, i in self.columns.items()}
        self.own_ids = "row_id" in self.columns  # else a row is known by its row number

    def __enter__(self) -> WatchList:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._table.close()

    def __iter__(self) -> Iterator[WatchEntry | RowProblem]:
        columns, labels = self.columns, self.labels
        seen_ids: set[str] = set()
        for number, row in enumerate(self._table, start=2):
            values = {key: cell_line(row[i]) if i < len(row) else "" for key, i in columns.items()}
            if not any(values.values()):
                continue  # a blank line
            entry, problem = _entry(number, values, labels)
            if problem is None and entry.row_id in seen_ids:
                problem = RowProblem(number, labels.get("row_id"), f"id {entry.row_id!r} is used twice")
            if problem is not None:
                yield problem
                continue
            seen_ids.add(entry.row_id)
            yield entry


def read_watch_list(path: Path) -> tuple[list[WatchEntry], list[RowProblem]]:
    """The rows it could read, and what was wrong with the others (the whole list at once: an
    import reads a WatchList row by row instead)."""
    entries: list[WatchEntry] = []
    problems: list[RowProblem] = []
    with WatchList(path) as listed:
        for item in listed:
            if isinstance(item, RowProblem):
                problems.append(item)
            else:
                entries.append(item)
    return entries, problems


def _columns(path: Path, header: Sequence[object], names: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for key, accepted in HEADERS.items():
        found = [i for i, name in enumerate(names) if name in accepted]
        if len(found) > 1:
            raise WatchListError(f"{path}: columns {', '.join(str(i + 1) for i in found)} are all {key.replace('_', ' ')}")
        if found:
            columns[key] = found[0]
    if not ({"name", "case_number"} & columns.keys() or {"last", "first"} <= columns.keys()):
        # The values are not repeated: a file without a header row would show a person's name.
        raise WatchListError(f"{path}: no column of names or case numbers in the first row; it must be a header "
                             "row naming the columns: name (or last name and first name), zip, case number, id")
    return columns


def _entry(number: int, values: dict[str, str], labels: dict[str, str]) -> tuple[WatchEntry | None, RowProblem | None]:
    name = values.get("name") or ", ".join(p for p in (values.get("last", ""), values.get("first", "")) if p)
    case_number = values.get("case_number", "").upper().replace(" ", "") or None
    zip_text = values.get("zip5", "")
    zip_match = _ZIP.match(zip_text)
    if zip_text and not zip_match:
        return None, RowProblem(number, labels.get("zip5"), f"{zip_text!r} is not a ZIP code (5 digits, or ZIP+4)")
    if not name and not case_number:
        return None, RowProblem(number, None, "neither a name nor a case number")
    if name and len(name.replace(",", " ").split()) < 2:
        return None, RowProblem(number, labels.get("name") or labels.get("last"), "a name needs a last and a first name")
    if name and len(name) > 200:
        return None, RowProblem(number, labels.get("name") or labels.get("last"), "a name is at most 200 characters")
    key = name_key(name) if name else None
    if name and key is None:
        return None, RowProblem(number, labels.get("name") or labels.get("last"), "not readable as a person's name")
    if len(values.get("row_id", "")) > 40:
        return None, RowProblem(number, labels.get("row_id"), "an id is at most 40 characters")
    if case_number and len(case_number) > 32:
        return None, RowProblem(number, labels.get("case_number"), "a case number is at most 32 characters")
    # An address that holds no house number and street (a city, a PO box misspelt) is left out
    # of the row, not the row: the name and ZIP code still find the person.
    street = street_key(values.get("street")) if key else None
    return WatchEntry(values.get("row_id") or str(number), name or None, zip_match.group(1) if zip_match else None,
                      case_number, values.get("court") or None, number, "row_id" in values, key, street), None
