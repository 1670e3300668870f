"""The portal's behaviour, independent of sockets: gate, sessions, searches, faults.

`App.handle` turns a parsed request into a `Response`; the HTTP layer (server.py) writes it,
including the faults that need raw socket control (dropped connections, truncated bodies).
"""

from __future__ import annotations

import datetime as dt
import re
import time

from scraper.courts.va_gdc.sim import pages
from scraper.courts.va_gdc.sim.challenge import COOKIE as CLEARANCE_COOKIE
from scraper.courts.va_gdc.sim.challenge import BrowserCheck
from scraper.courts.va_gdc.sim.config import FaultSpec, SimConfig
from scraper.courts.va_gdc.sim.detail import detail_page
from scraper.courts.va_gdc.sim.docket import Docket
from scraper.courts.va_gdc.sim.sessions import SearchState, Session, SessionStore
from scraper.simkit.counters import SimStats, TokenBuckets
from scraper.simkit.faults import FaultDice
from scraper.simkit.http import Request, Response
from scraper.records import Hearing

BASE = "/gdcourts/"
TERMS = "landing.do"
WELCOME = "caseSearch.do?welcomePage=welcomePage"
CASE_NUMBER_RE = re.compile(r"^GV\d{8}-\d{2}$")
DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
SEARCH_FIELDS = ("formAction", "curentFipsCode", "searchFipsCode", "searchTerm", "searchHearingTime",
                 "searchCourtroom", "searchHearingType", "searchUnitNumber")
# 1x1 transparent GIF: stands in for the verification-code image and the site's graphics.
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
STATIC = {"css/gdcourts.css": ("text/css", b""), "js/gdcourts.js": ("application/javascript", b""),
          "images/vajudicial.gif": ("image/gif", GIF), "captcha.jpg": ("image/gif", GIF)}


def html(body: str, status: int = 200) -> Response:
    return Response(status=status, body=body)


class App:
    def __init__(self, config: SimConfig, docket: Docket, stats: SimStats) -> None:
        self.config = config
        self.docket = docket
        self.stats = stats
        self.faults = config.faults
        self.sessions = SessionStore(config.clock)
        self.buckets = TokenBuckets(config.rate_limit_per_s, config.clock) if config.rate_limit_per_s else None
        self.browser_check = BrowserCheck.for_seed(config.seed)
        self._dice = FaultDice(config.seed)

    def handle(self, req: Request) -> Response:
        self.stats.count_request(req.path, req.arrived)
        if self.config.browser_check and not self.browser_check.passes(req.cookies.get(CLEARANCE_COOKIE), req.user_agent):
            self.stats.add("browser_challenges")
            return html(self.browser_check.page(), self.config.browser_check_status)
        sid = req.cookies.get("JSESSIONID")
        # Static files come from the web server in front, not the throttled application.
        if self.buckets is not None and req.path not in STATIC and not self.buckets.allow(sid or req.client):
            self.stats.add("rate_limited")
            return html(pages.rate_limited_page())
        faults = self.faults  # one consistent spec for the whole request
        terms = req.path == TERMS
        fault = None if terms else self._draw_fault(faults)
        if fault is not None and fault.kind == "5xx":
            return html(pages.error_page(fault.status, fault.reason), fault.status)
        if fault is not None and fault.kind == "drop":
            return Response(drop=True)  # before processing: the request had no effect
        delay_ms = self.config.latency_ms + (0 if terms else faults.latency_ms)
        if delay_ms:
            time.sleep(delay_ms / 1000)
        response = self._session_response(req, sid, faults.layout)
        if fault is not None and fault.kind == "truncate":
            # Cut after processing, like a connection lost mid-answer: a `Next` has moved the page.
            response.truncate_at = fault.cut
        return response

    def _draw_fault(self, faults: FaultSpec):
        fault = self._dice.draw(faults)
        if fault is not None:
            self.stats.count_fault(fault.kind)
        return fault

    # --- sessions and the gate -----------------------------------------------------------------

    def _session_response(self, req: Request, sid: str | None, layout: str) -> Response:
        if req.path in STATIC:
            content_type, body = STATIC[req.path]
            return Response(body=body, content_type=content_type)
        if req.path in ("", "index.jsp"):
            return self._redirect(req, TERMS)
        session = self.sessions.get(sid)
        if session is None:
            session = self.sessions.create()
            self.stats.add("sessions_created")
        with session.lock:
            response = self._gated(req, session, layout)
        if session.id != sid:
            response.headers.append(("Set-Cookie", f"JSESSIONID={session.id}; Path=/gdcourts; HttpOnly"))
        return response

    def _gated(self, req: Request, session: Session, layout: str) -> Response:
        now = self.config.clock()
        idle = now - session.last_seen > self.config.session_idle_s
        used_up = self.config.session_max_requests is not None and session.served >= self.config.session_max_requests
        session.last_seen = now
        accepting = req.path == TERMS and req.method == "POST" and "accept" in req.form
        if session.accepted and (idle or used_up):
            session.expire()
            self.stats.add("sessions_expired")
            if not accepting:
                return html(pages.expired_page(verification=self._verification()))
        if req.path == TERMS:
            return self._terms(req, session)
        if not session.accepted:
            return self._redirect(req, TERMS)
        session.served += 1
        return self._route(req, session, layout)

    def _verification(self) -> bool:
        return self.config.verification_code or self.faults.gate

    def _terms(self, req: Request, session: Session) -> Response:
        verification = self._verification()
        if req.method == "POST" and "accept" in req.form:
            if verification:  # the code is only in the image: no client can supply it
                return html(pages.terms_page(verification=True,
                                             notice="The verification code you entered is incorrect."))
            session.accept()
            return self._redirect(req, WELCOME)
        if req.method == "POST" and "decline" in req.form:
            return html(pages.declined_page())
        return html(pages.terms_page(verification=verification))

    def _redirect(self, req: Request, target: str) -> Response:
        location = f"http://{req.host}{BASE}{target}" if req.host else f"{BASE}{target}"
        return Response(status=302, body=f'<html><body><a href="{pages.esc(location)}">Moved</a></body></html>',
                        headers=[("Location", location)])

    # --- pages behind the gate -----------------------------------------------------------------

    def _route(self, req: Request, session: Session, layout: str) -> Response:
        q, form = req.query, req.form
        if req.path == "caseSearch.do" and req.method == "GET":
            if q.get("formAction") == "caseDetails":
                return self._detail(q.get("localFipsCode") or session.fips, q.get("displayCaseNumber", ""), layout)
            if q.get("searchType") == "hearingDate":
                session.fips = q.get("searchFipsCode") or q.get("curentFipsCode") or session.fips
                return html(pages.hearing_search_form(session.fips))
            return html(pages.welcome_page(session.fips, whole_state=self.config.whole_state,
                                              state_courts=self.config.state_courts))
        if req.path == "caseSearch.do" and req.method == "POST":
            if "caseSearch" in form:
                return self._new_search(session, form, layout)
            if "caseInfoScrollForward" in form and session.search is not None:
                session.search.page += 1
                return self._results(session, layout)
            return html(pages.hearing_search_form(session.fips))
        if req.path == "criminalCivilCaseSearch.do":
            if req.method == "POST" and form.get("formAction") == "submitCase":
                return self._case_number_search(req, session, form)
            return html(pages.case_number_form(q.get("searchFipsCode") or session.fips))
        if req.path == "civilDetail.do":
            held = session.held_case
            return self._detail(held[0], held[1], layout) if held else html(pages.no_results_page(session.fips))
        if req.path == "nameSearch.do":
            return html(pages.simple_page("Name search is not available in this simulator.", fips=session.fips))
        return html(pages.not_found_page(), 404)

    def _detail(self, fips: str, number: str, layout: str) -> Response:
        number = number.strip().upper()
        record = self.docket.case(fips, number) if CASE_NUMBER_RE.match(number) else None
        if record is None:
            return html(pages.no_results_page(fips))
        return html(detail_page(record, fips, layout))

    def _new_search(self, session: Session, form: dict[str, str], layout: str) -> Response:
        fips = form.get("searchFipsCode") or form.get("curentFipsCode") or session.fips
        term = form.get("searchTerm", "").strip()
        day = _parse_date(term)
        if day is None:
            return html(pages.hearing_search_form(fips, term=term, error="Please enter a valid Hearing Date."))
        session.fips = fips
        session.search_counter += 1
        session.search = SearchState(fips, day, {name: form.get(name, "") for name in SEARCH_FIELDS})
        return self._results(session, layout)

    def _results(self, session: Session, layout: str) -> Response:
        search = session.search
        assert search is not None
        rows = [] if self.faults.empty else [
            (record, hearing) for record, hearing in self.docket.hearing_rows(search.fips, search.day)
            if _matches(search.fields, hearing)]
        start = search.page * pages.PAGE_SIZE
        shown = rows[start:start + pages.PAGE_SIZE]
        if not shown:
            return html(pages.no_results_page(search.fips))
        return html(pages.results_page(search.fips, search.fields, shown, has_next=len(rows) > start + len(shown),
                                       counter=session.search_counter, layout=layout))

    def _case_number_search(self, req: Request, session: Session, form: dict[str, str]) -> Response:
        fips = form.get("searchFipsCode") or form.get("localFipsCode") or session.fips
        raw = form.get("displayCaseNumber", "")
        number = raw.strip().upper()
        if not CASE_NUMBER_RE.match(number):
            return html(pages.case_number_form(fips, number=raw, error=pages.INVALID_CASE_NUMBER))
        session.search_counter += 1
        session.held_case = (fips, number)
        return self._redirect(req, "civilDetail.do")


def _parse_date(text: str) -> dt.date | None:
    if not DATE_RE.match(text):
        return None
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


def _matches(fields: dict[str, str], hearing: Hearing) -> bool:
    """The optional filters of the hearing-date form; empty means all."""
    wanted_time, room, kind = fields.get("searchHearingTime"), fields.get("searchCourtroom"), fields.get("searchHearingType")
    return ((not wanted_time or pages.fmt_time(hearing.time) == wanted_time)
            and (not room or hearing.courtroom == room)
            and (not kind or hearing.type == kind))
