"""A spreadsheet a partner sends (CSV or XLSX) read row by row: watch lists, weekly lists filled
in. Cells come back as plain one-line text; a file that cannot be read raises the caller's error
with what to do; a row that cannot be used is a RowProblem, named by row and column."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int                # 1 = the header row, as a spreadsheet numbers it
    column: str | None
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.problem}"


def cell_line(value: object) -> str:
    """A cell as one line of text: no control or bidi characters, NFC ('' for an empty cell)."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", str(value))).split()) if value is not None else ""


def sheet_rows(path: Path, error: type[Exception], what: str, shown_as: str | None = None) -> Iterator[list[object]]:
    """The file's rows one at a time (the file stays open while they are read); `error` for a
    file that is no spreadsheet or turns out unreadable on the way. `what`: "a watch list";
    `shown_as`: the file's name in messages (an upload's own name, not where it was put)."""
    name = shown_as or str(path)
    try:
        yield from _table(path, error, what)
    except UnicodeDecodeError as exc:
        reason, at = _first_undecodable(path) or (exc.reason, exc.start)
        raise error(f"{name}: not UTF-8 text ({reason} at byte {at}); save it as CSV UTF-8") from exc
    except (csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise error(f"{name}: not a readable {path.suffix.lower()} file ({type(exc).__name__}); save it "
                    "again as CSV UTF-8 or Excel workbook") from exc
    except OSError as exc:
        raise error(f"{name}: {exc.strerror or exc}") from exc


def _table(path: Path, error: type[Exception], what: str) -> Iterator[list[object]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            yield from csv.reader(text)
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # 0.27 s, for the lists that come as workbooks only

        book = load_workbook(path, read_only=True, data_only=True)  # values, never formulas
        try:
            yield from (list(row) for row in book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    else:
        raise error(f"{path}: {what} is a .csv or .xlsx file")


def _first_undecodable(path: Path) -> tuple[str, int] | None:
    """Where the file stops being UTF-8, as a byte offset in the file: a text reader's error
    counts from the start of the block it was decoding."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as raw:
        while True:
            block = raw.read(1 << 20)
            held = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return exc.reason, offset - held + exc.start
            if not block:
                return None
            offset += len(block)
