"""Issue 27, points 7 and 8: a Virginia section shown twice, bytes a page's charset cannot decode,
calendar TEXT escaping and the modes of the folders that hold tenants' data."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import stat
from email.message import EmailMessage
from pathlib import Path

import httpx
import lxml.html
import pytest
import respx
from icalendar import Calendar
from typer.testing import CliRunner

from evictwatch.commands.app import app
from notify import transport
from notify.calendar import escape_text
from notify.transport import OutboxTransport, private_folder
from pipeline.prepare import prepare
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.markup import section_title
from scraper.courts.va_gdc.parse import parse_case_detail
from scraper.courts.va_gdc.session import page_text
from scraper.pagetext import body_text
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.errors import LayoutError
from scraper.http_clock import FakeClock
from scraper.records import Hearing, Party
from tests.test_docket import TODAY as DOCKET_TODAY
from tests.test_docket import populate
from tests.test_store import record
from tests.test_va_gdc_flow import ScriptedPortal, collect, make_scraper

GOLDEN = Path(__file__).parent / "golden" / "va-gdc"
URL = "https://portal.example.invalid/gdcourts/caseSearch.do"


# --- a section shown twice ------------------------------------------------------------------

def _section_table(doc, title: str):
    for cell in doc.xpath('//td[contains(concat(" ", @class, " "), " subheader ")]'):
        if section_title(cell.text_content()) == title:
            return next(cell.iterancestors("table"))
    raise AssertionError(f"no section {title}")


def _doubled(tmp_path: Path, golden: str, title: str, *, hidden: bool = False, retitle: str | None = None) -> str:
    """The golden page with section `title` written twice (the copy hidden, or under another title),
    saved to and read back from a copy in tmp_path."""
    doc = lxml.html.document_fromstring((GOLDEN / golden).read_text("utf-8"))
    table = _section_table(doc, title)
    copy = lxml.html.fromstring(lxml.html.tostring(table))
    if hidden:
        copy.set("style", "display:none")
    if retitle:
        span = copy.xpath('.//td[contains(@class, "subheader")]/span')[-1]
        span.text = retitle
    table.addnext(copy)
    page = tmp_path / f"doubled-{golden}"
    page.write_text(lxml.html.tostring(doc, encoding="unicode"), encoding="utf-8")
    return page.read_text("utf-8")


@pytest.mark.parametrize("hidden", [False, True], ids=["shown", "hidden"])
def test_a_second_hearing_information_section_is_a_layout_error(tmp_path, hidden):
    assert len(parse_case_detail((GOLDEN / "sim-detail-appeal.html").read_text("utf-8"), URL).hearings) == 1
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(_doubled(tmp_path, "sim-detail-appeal.html", "hearing information", hidden=hidden), URL)
    assert caught.value.field == "single section 'hearing information'"
    assert "the title appears more than once" in str(caught.value)


@pytest.mark.parametrize("title", ["service/process", "reports", "judgment information", "appeal information"])
def test_every_section_the_portal_shows_once_is_refused_twice(tmp_path, title):
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(_doubled(tmp_path, "hand-detail-quirks.html", title), URL)
    assert title in caught.value.field


def test_a_once_shown_section_under_two_spellings_is_refused(tmp_path):
    html = _doubled(tmp_path, "hand-detail-quirks.html", "service/process", retitle="Service Information")
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(html, URL)
    assert "service" in caught.value.field and "also has 'service/process'" in str(caught.value)


def test_party_grids_may_still_come_split_and_add_up(tmp_path):
    quirks = parse_case_detail((GOLDEN / "hand-detail-quirks.html").read_text("utf-8"), URL)
    assert len(quirks.defendants) == 3  # the saved page splits its defendants over two tables
    html = _doubled(tmp_path, "sim-detail-appeal.html", "defendant information", retitle="Defendants Information")
    once = parse_case_detail((GOLDEN / "sim-detail-appeal.html").read_text("utf-8"), URL)
    twice = parse_case_detail(html, URL)
    assert twice.defendants == once.defendants * 2 and twice.hearings == once.hearings


# --- bytes the charset cannot decode ---------------------------------------------------------

DETAIL = (GOLDEN / "hand-detail-judgment-writ.html").read_text("utf-8")  # UTF-8 meta, a PEÑA


def test_latin1_bytes_under_a_utf8_meta_are_unread_values_not_silent():
    assert 'charset=UTF-8' in DETAIL and "Ñ" in DETAIL
    body = DETAIL.encode("latin-1")
    text = page_text(httpx.Response(200, headers={"Content-Type": "text/html"}, content=body))
    assert "\ufffd" in text and "Ñ" not in text  # no other charset guessed
    record = parse_case_detail(text, URL)
    undecodable = [f for f in record.unknown_fields if f.startswith("undecodable:")]
    assert "undecodable:defendant information:name" in undecodable
    clean = parse_case_detail(page_text(httpx.Response(200, content=DETAIL.encode("utf-8"))), URL)
    assert not [f for f in clean.unknown_fields if f.startswith("undecodable:")]


def test_a_declared_latin1_page_decodes_with_nothing_unread():
    body = DETAIL.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1")
    record = parse_case_detail(body_text(body), URL)
    assert any("Ñ" in p.name for p in record.defendants)
    assert not [f for f in record.unknown_fields if f.startswith("undecodable:")]


class Latin1Portal(ScriptedPortal):
    """Serves its case details in Latin-1 bytes while their meta says UTF-8."""

    def _get_search(self, request: httpx.Request) -> httpx.Response:
        response = super()._get_search(request)
        if dict(request.url.params).get("formAction") != "caseDetails":
            return response
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=response.text.encode("latin-1"))


@respx.mock(assert_all_called=False)
def test_undecodable_bytes_reach_the_scrape_summarys_unread_values(respx_mock):
    portal = Latin1Portal(respx_mock)
    portal.detail = DETAIL
    scraper = make_scraper(FakeClock())
    records = asyncio.run(collect(scraper))
    assert records and all(any("\ufffd" in p.name for p in r.defendants) for r in records)
    unread = scraper.summary.unknown_fields
    assert unread.get("undecodable:defendant information:name") == len(records)
    assert sum(unread.values()) >= len(records)  # the summary's "unread values"


def test_the_parse_command_counts_them_as_the_scrape_does(tmp_path):
    saved = tmp_path / "latin1.html"
    saved.write_bytes(DETAIL.encode("latin-1"))
    # As `evictwatch parse va-gdc FILE` reads a saved page: its bytes decoded, then the adapter.
    record = get_source("va-gdc").parse_case_page(saved.read_bytes().decode("utf-8", errors="replace"),
                                                  str(saved), None)
    assert "undecodable:defendant information:name" in record.unknown_fields
    result = CliRunner().invoke(app, ["parse", "va-gdc", str(saved)])
    assert result.exit_code == 0, result.output


# --- calendar TEXT ---------------------------------------------------------------------------

HOSTILE = ("O\\NEIL\\N; BACK\\n,SLASH\\", "CARTER\r\nBcc: victim@evil.example, CARL", "A;B,C\\\\D",
           "\u202eLIVE, DANA\u202c\x01\x1b[31m", "\\N\\N\\N")


PROPERTY_LINE = re.compile(r"^[A-Z][A-Z0-9-]*[;:]")


def _rfc_lines(ics: bytes) -> list[str]:
    """The content lines of a feed, unfolded (RFC 5545 section 3.1)."""
    return [line for line in ics.decode("utf-8").replace("\r\n ", "").split("\r\n") if line]


def test_escape_text_follows_rfc_5545():
    assert escape_text("a\\N;b,c\r\nd\re\nf") == "a\\\\N\\;b\\,c\\nd\\ne\\nf"


def test_hostile_names_round_trip_through_the_calendar_and_add_no_line(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    cases = [record(case_number=f"GV26000{n + 501:03d}-00", matter_key=f"GV26000{n + 501:03d}", judgment=None,
                    defendants=(Party(name=name, address="ALEXANDRIA, VA 22304"),),
                    hearings=(Hearing(date=dt.date(2026, 12, 8), time=dt.time(9, 30), type="Trial\\N;x",
                                      courtroom="ROOM\\N 2;B,"),))
             for n, name in enumerate(HOSTILE)]
    store.save([prepare(r, DOCKET_TODAY, "America/New_York", VOCABULARY) for r in cases])
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'partners:\n  - {name: "Back\\\\N;slash, Inc", emails: [v@example.org], receives: [calendar]}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    out = tmp_path / "feed.ics"
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "calendar",
                                      "--partner", "Back\\N;slash, Inc", "--out", str(out),
                                      "--today", DOCKET_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    ics = out.read_bytes()
    lines = _rfc_lines(ics)
    # Every line is a property or BEGIN/END: no name opened a line of its own.
    assert all(PROPERTY_LINE.match(line) for line in lines), [line for line in lines if not PROPERTY_LINE.match(line)]
    assert not [line for line in lines if line.lower().startswith("bcc")]
    assert "X-WR-CALNAME:Eviction hearings (Back\\\\N\\;slash\\, Inc)" in lines
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == len(HOSTILE) and sum(line.startswith("DESCRIPTION:") for line in lines) == len(HOSTILE)
    shown = {str(e["UID"]): str(e["DESCRIPTION"]) for e in events}
    for n, name in enumerate(HOSTILE):
        description = shown[f"alexandria.GV26000{n + 501:03d}-00.hearing-1@evictwatch"]
        expected = " ".join(name.replace("\x01", " ").replace("\x1b", " ").replace("\u202e", "")
                            .replace("\u202c", "").split())
        assert description.splitlines()[0] == f"Tenants: {expected}"  # the name, whole, on its own line
        assert description.splitlines()[1:] == ["Landlord: ORCHARD RIDGE APTS LLC", "Status: Hearing set",
                                                "Hearing: Trial\\N;x",
                                                f"Look it up: https://portal.example.invalid/gdcourts/ — case "
                                                f"GV26000{n + 501:03d}-00"]
    event = events[0]
    assert str(event["SUMMARY"]) == "Eviction hearing GV26000501-00 · ROOM\\N 2;B,"
    assert str(event["LOCATION"]) == "alexandria, ROOM\\N 2;B,"


# --- folders of tenants' data ----------------------------------------------------------------

CONFIG = ('http: {user_agent: "t (o@example.org)"}\n'
          'partners:\n  - {name: Volunteers, emails: [v@example.org], receives: [calendar]}\n'
          'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
          'base_url: "https://portal.example.invalid/gdcourts/"}\n')


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    before = os.umask(0o022)  # what mkdir's mode goes through on most machines
    yield
    os.umask(before)


def _run(tmp_path: Path, store, *args: str):
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG)
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), *args,
                                      "--today", DOCKET_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return result


def test_docket_and_calendar_folders_are_made_0700(store, tmp_path, open_umask):
    populate(store)
    _run(tmp_path, store, "docket", "--no-pdf")
    _run(tmp_path, store, "calendar", "--partner", "Volunteers")
    for folder in ("data", "data/dockets", "data/calendars"):
        assert _mode(tmp_path / folder) == 0o700, folder
    assert [_mode(p) for p in (tmp_path / "data").rglob("*") if p.is_file()] == [0o600, 0o600]


def test_an_older_releases_0755_folders_are_tightened_when_written_into(store, tmp_path, open_umask):
    populate(store)
    for folder in ("data/dockets", "data/calendars"):
        (tmp_path / folder).mkdir(parents=True)
        os.chmod(tmp_path / folder, 0o755)
    _run(tmp_path, store, "docket", "--no-pdf")
    _run(tmp_path, store, "calendar", "--partner", "Volunteers")
    assert _mode(tmp_path / "data/dockets") == _mode(tmp_path / "data/calendars") == 0o700


def test_a_folder_named_by_out_is_made_private_but_an_existing_one_is_left_alone(store, tmp_path, open_umask):
    populate(store)
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    _run(tmp_path, store, "docket", "--no-pdf", "--out", str(shared))
    _run(tmp_path, store, "calendar", "--partner", "Volunteers", "--out", str(shared / "feed.ics"))
    assert _mode(shared) == 0o755 and _mode(shared / "feed.ics") == 0o600
    _run(tmp_path, store, "docket", "--no-pdf", "--out", str(tmp_path / "new" / "sheets"))
    assert _mode(tmp_path / "new") == _mode(tmp_path / "new" / "sheets") == 0o700


def test_the_outbox_is_tightened_and_a_folder_not_ours_is_left(tmp_path, open_umask, monkeypatch):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    os.chmod(outbox, 0o755)
    private_folder(outbox / "2026-12-01", tighten=False)
    assert _mode(outbox) == 0o755 and _mode(outbox / "2026-12-01") == 0o700  # an existing parent: as it is
    message = EmailMessage()
    message["Message-ID"] = "<k@example.org>"
    message["Date"] = "Tue, 01 Dec 2026 09:00:00 +0000"
    message.set_content("x")
    sent = Path(OutboxTransport(outbox).send(message))
    assert _mode(outbox) == _mode(sent.parent) == 0o700 and _mode(sent) == 0o600

    def refused(path, mode):
        raise PermissionError(1, "Operation not permitted", str(path))
    other = tmp_path / "other"
    other.mkdir()
    os.chmod(other, 0o755)
    monkeypatch.setattr(transport.os, "chmod", refused)
    assert private_folder(other) == other and _mode(other) == 0o755
