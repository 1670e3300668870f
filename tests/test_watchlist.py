"""Reading a partner's watch list: columns by header, row-numbered problems, no birth dates."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline.linkage.watchlist import WatchEntry, WatchListError, read_watch_list


def write_csv(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def test_a_csv_reads_by_its_headers_in_any_order_and_reports_bad_rows_by_number_and_column(tmp_path):
    path = write_csv(tmp_path, "ZIP Code,Client ID,Name,Case Number\r\n"
                               "22304,A-1,\"PEÑA, JOSÉ\",\r\n"
                               "22311-1234,A-2,Maria Gonzalez,\r\n"
                               ",A-3,,gv26000123-00\r\n"
                               "2230,A-4,\"SMITH, ANA\",\r\n"
                               "\r\n"
                               "22304,A-5,Cher,\r\n"
                               "22304,A-1,\"DOE, JANE\",\r\n"
                               "22304,A-6,,\r\n")
    entries, problems = read_watch_list(path)
    assert entries == [WatchEntry("A-1", "PEÑA, JOSÉ", "22304", None), WatchEntry("A-2", "Maria Gonzalez", "22311", None),
                       WatchEntry("A-3", None, None, "GV26000123-00")]
    assert [str(p) for p in problems] == [
        "row 5, column 'ZIP Code': '2230' is not a ZIP code (5 digits, or ZIP+4)",
        "row 7, column 'Name': a name needs a last and a first name",
        "row 8, column 'Client ID': id 'A-1' is used twice",
        "row 9: neither a name nor a case number",
    ]


def test_an_xlsx_with_split_names_and_no_id_column_numbers_its_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Last name", "First name", "zip"])
    sheet.append(["RAMOS", "Ana", 22305])
    sheet.append(["NGUYEN", "Bao\u202e", "22304"])
    sheet.append(["=HYPERLINK(\"x\")", "Bob", "22304"])  # a formula: read as its value, never run
    path = tmp_path / "list.xlsx"
    book.save(path)
    entries, problems = read_watch_list(path)
    assert entries == [WatchEntry("2", "RAMOS, Ana", "22305", None), WatchEntry("3", "NGUYEN, Bao", "22304", None)]
    assert [str(p) for p in problems] == ["row 4, column 'Last name': a name needs a last and a first name"]


@pytest.mark.parametrize("header, message", [
    ("name,zip,Date of Birth\r\n", "column 3 ('Date of Birth') holds dates of birth"),
    ("Name,DOB\r\n", "column 2 ('DOB') holds dates of birth"),
    ("phone,email\r\n", "no column of names or case numbers in the first row"),
    ("\"PEÑA, JOSÉ\",22304\r\n", "it must be a header row"),  # no header: the names are not echoed
    ("", "the file is empty"),
    ("name,Name\r\n", "columns 1, 2 are all name"),
])
def test_a_file_that_cannot_be_read_names_the_file_and_the_column(tmp_path, header, message):
    path = write_csv(tmp_path, header + "x,y\r\n" if header else "")
    with pytest.raises(WatchListError, match="list.csv") as caught:
        read_watch_list(path)
    assert message in str(caught.value)
    assert "PEÑA" not in str(caught.value)


def test_other_formats_and_encodings_are_refused_with_what_to_do(tmp_path):
    with pytest.raises(WatchListError, match=r"list.txt: a watch list is a .csv or .xlsx file"):
        read_watch_list(write_csv(tmp_path, "name\r\n", "list.txt"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\r\nPE\xd1A, JOS\xc9\r\n".encode("latin-1"))
    with pytest.raises(WatchListError, match="not UTF-8 text .* save it as CSV UTF-8"):
        read_watch_list(latin)


def test_a_broken_workbook_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(WatchListError, match=r"list.xlsx: not a readable .xlsx file \(BadZipFile\)"):
        read_watch_list(path)
