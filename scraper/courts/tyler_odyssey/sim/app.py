"""The simulated portal's behaviour, independent of sockets: sessions, view state, searches.

A search is accepted only when posted with the view state this session was just served,
its event validation, `__EVENTTARGET=SearchSubmit` and the token the page's own script signs
(`pages.SIGN_JS`): a form post built by hand gets the portal's "session has expired or the
request is invalid" page, as on the live sites. Result links work only in the session that
listed them.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, ClassVar

from scraper.courts.tyler_odyssey.sim import pages
from scraper.courts.tyler_odyssey.sim.detail import detail_page
from scraper.courts.tyler_odyssey.sim.docket import Docket, precincts_of
from scraper.courts.tyler_odyssey.sim.model import ATTORNEYS, PARTY_LAYOUTS
from scraper.simkit.counters import SimStats
from scraper.simkit.faults import FaultDice
from scraper.simkit.faults import FaultSpec as BaseFaultSpec
from scraper.simkit.http import Request, Response

BASE = "/JPPublicAccess/"
COOKIE = "ASP.NET_SessionId"
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
STATIC = {"CSS/PublicAccess.css": ("text/css", b"body{font-family:Arial}"),
          "Images/OdysseyPA.gif": ("image/gif", GIF), "Captcha.aspx": ("image/gif", GIF)}
SEARCHES = {"200": "case", "900": "calendar"}


@dataclass(frozen=True)
class FaultSpec(BaseFaultSpec):
    """The kit's faults; `gate` puts a CAPTCHA in front of the search pages."""

    LAYOUTS: ClassVar[tuple[str, ...]] = ("none", "party-title", "case-number", "results-header", "search-form")


@dataclass(frozen=True)
class SimConfig:
    seed: int = 1
    today: dt.date = field(default_factory=dt.date.today)
    latency_ms: int = 0
    faults: FaultSpec = field(default_factory=FaultSpec)
    captcha: bool = False
    result_cap: int = 200  # more matches than this: "too many matches to display"
    session_idle_s: float = 1200.0
    clock: Callable[[], float] = time.monotonic
    party_layout: str = ATTORNEYS  # how the county configures Party Information (model.PARTY_LAYOUTS)
    street_addresses: bool = False  # the county publishes tenants' street addresses (some do, Travis mostly not)

    def __post_init__(self) -> None:
        if self.party_layout not in PARTY_LAYOUTS:
            raise ValueError(f"unknown party layout {self.party_layout!r}; known: {', '.join(PARTY_LAYOUTS)}")


@dataclass
class _Form:
    viewstate: str
    validation: str
    salt: str


@dataclass
class _Session:
    id: str
    last_seen: float
    location: str = "All Courts"
    forms: dict[str, _Form] = field(default_factory=dict)  # search id -> the form last served
    listed: set[int] = field(default_factory=set)  # CaseIDs this session's results showed
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class App:
    def __init__(self, config: SimConfig, docket: Docket, stats: SimStats) -> None:
        self.config = config
        self.docket = docket
        self.stats = stats
        self.faults = config.faults
        self.result_cap = config.result_cap
        self.searches: list[dict[str, str]] = []  # every accepted search's fields, for tests
        self._dice = FaultDice(config.seed)
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def handle(self, req: Request) -> Response:
        self.stats.count_request(req.path, req.arrived)
        if req.path in STATIC:
            content_type, body = STATIC[req.path]
            return Response(body=body, content_type=content_type)
        faults = self.faults
        fault = self._dice.draw(faults)
        if fault is not None:
            self.stats.count_fault(fault.kind)
            if fault.kind == "5xx":
                return Response(status=fault.status, body=f"<html><body><h1>{fault.reason}</h1></body></html>")
            if fault.kind == "drop":
                return Response(drop=True)
        if self.config.latency_ms + faults.latency_ms:
            time.sleep((self.config.latency_ms + faults.latency_ms) / 1000)
        response = self._route(req, faults)
        if fault is not None and fault.kind == "truncate":
            response.truncate_at = fault.cut
        return response

    def _route(self, req: Request, faults: FaultSpec) -> Response:
        session = self._session(req.cookies.get(COOKIE))
        if req.path in ("", "default.aspx"):
            headers = []
            if session is None:
                session = self._new_session()
                headers.append(("Set-Cookie", f"{COOKIE}={session.id}; path=/; HttpOnly"))
            return Response(body=pages.default_page(session.location), headers=headers)
        if session is None:
            self.stats.add("sessions_expired")
            return Response(body=pages.error_page())
        with session.lock:
            if req.path == "Search.aspx" and req.method == "GET":
                return self._search_form(session, req, faults)
            if req.path == "Search.aspx" and req.method == "POST":
                return self._search(session, req, faults)
            if req.path == "CaseDetail.aspx":
                return self._detail(session, req, faults)
        return Response(status=404, body="<html><body>The resource cannot be found.</body></html>")

    def _session(self, sid: str | None) -> _Session | None:
        if not sid:
            return None
        now = self.config.clock()
        with self._lock:
            session = self._sessions.get(sid)
            if session is not None and now - session.last_seen > self.config.session_idle_s:
                del self._sessions[sid]
                return None
            if session is not None:
                session.last_seen = now
            return session

    def _new_session(self) -> _Session:
        session = _Session(id=secrets.token_hex(12), last_seen=self.config.clock())
        with self._lock:
            self._sessions[session.id] = session
        self.stats.add("sessions_created")
        return session

    def _search_form(self, session: _Session, req: Request, faults: FaultSpec) -> Response:
        kind = SEARCHES.get(req.query.get("ID", ""))
        if kind is None:
            return Response(body=pages.error_page())
        node = req.query.get("NodeID", "")
        if node.isdigit() and int(node) < len(pages.LOCATIONS):
            session.location = pages.LOCATIONS[int(node)]
        if self.config.captcha or faults.gate:
            self.stats.add("captchas")
            return Response(body=pages.captcha_page())
        form = session.forms[req.query["ID"]] = _Form(secrets.token_urlsafe(48), secrets.token_urlsafe(24),
                                                      secrets.token_hex(8))
        body = pages.search_page(kind, session.location, form.viewstate, form.validation, form.salt)
        if faults.layout == "search-form":  # a redesigned form: the date-range control renamed
            body = body.replace('id="DateRange"', 'id="SearchByDateRange"').replace('id="Case"', 'id="SearchByCase"')
        return Response(body=body)

    def _search(self, session: _Session, req: Request, faults: FaultSpec) -> Response:
        search_id = req.query.get("ID", "")
        form, data = session.forms.pop(search_id, None), req.form
        if (form is None or data.get("__VIEWSTATE") != form.viewstate
                or data.get("__EVENTVALIDATION") != form.validation or data.get("__EVENTTARGET") != "SearchSubmit"
                or data.get("SearchSubmitToken") != pages.sign(form.salt, form.viewstate)):
            self.stats.add("refused_posts")
            return Response(body=pages.error_page())
        self.searches.append({k: v for k, v in data.items() if not k.startswith("__") and k != "SearchSubmitToken"})
        precincts = precincts_of(session.location)
        if SEARCHES[search_id] == "calendar":
            since, until = _date(data.get("DateSettingOnAfter")), _date(data.get("DateSettingOnBefore"))
            if data.get("SearchBy") != "5" or since is None or until is None or until < since:
                return self._again(session, search_id, "calendar")
            rows = [] if faults.empty else self.docket.calendar(since, until, precincts)
            capped = len(rows) > self.result_cap
            if not capped:
                session.listed.update(case.case_id for case, _ in rows)
            if not rows:
                return Response(body=pages.no_results("Court Calendar", f"Search By: Date Range {since}..{until}"))
            return Response(body=pages.calendar_results(rows, capped, since, until, faults.layout))
        value = (data.get("CaseSearchValue") or "").strip()
        if data.get("SearchBy") != "0" or not value:
            return self._again(session, search_id, "case")
        filed_since, filed_until = _date(data.get("DateFiledOnAfter")), _date(data.get("DateFiledOnBefore"))
        cases = [] if faults.empty else self.docket.matching(value, filed_since, filed_until, precincts)
        capped = len(cases) > self.result_cap
        line = f"Search By: Case &nbsp; Case Number: {pages.escape(value)} &nbsp; Sort By: Filed Date"
        if not cases:
            return Response(body=pages.no_results("Civil, Family & Probate Case Records", line))
        if not capped:
            session.listed.update(case.case_id for case in cases)
        return Response(body=pages.case_results(cases, self.docket.today, capped, line, faults.layout))

    def _again(self, session: _Session, search_id: str, kind: str) -> Response:
        form = session.forms[search_id] = _Form(secrets.token_urlsafe(48), secrets.token_urlsafe(24),
                                                secrets.token_hex(8))
        body = pages.search_page(kind, session.location, form.viewstate, form.validation, form.salt)
        return Response(body=body.replace('<table class="ssSearchForm">',
                                          '<div class="ssErrorText">Please enter valid search criteria.</div>'
                                          '<table class="ssSearchForm">', 1))

    def _detail(self, session: _Session, req: Request, faults: FaultSpec) -> Response:
        raw = req.query.get("CaseID", "")
        case = self.docket.by_id(int(raw)) if raw.isdigit() and int(raw) in session.listed else None
        if case is None:
            return Response(body=pages.error_page())
        return Response(body=detail_page(case, self.docket.today, faults.layout, self.config.party_layout))


def _date(text: str | None) -> dt.date | None:
    try:
        month, day, year = (int(part) for part in (text or "").strip().split("/"))
        return dt.date(year, month, day)
    except ValueError:
        return None
