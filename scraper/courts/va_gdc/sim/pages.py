"""HTML of the portal's pages other than case detail: chrome, the gate, searches, errors.

Markup follows docs/courts/va-gdc.md; all data goes through `esc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from html import escape

from scraper.courts.va_gdc.sim.names import COURTS
from scraper.courts.va_gdc.sim.state import court_profile, listed_courts
from scraper.records import CaseRecord, Hearing

NO_RESULTS = "No results found for the search criteria"
EXPIRED = "Your previous session has expired due to inactivity"
RATE_LIMITED = "You have exceeded the rate limit for this application."
INVALID_CASE_NUMBER = "Please enter a valid Case Number."
PAGE_SIZE = 20


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def fmt_time(value: dt.time | None) -> str:
    return value.strftime("%I:%M %p") if value else ""


def fmt_money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def fmt_yes_no(value: bool | None) -> str:
    return "" if value is None else "Y" if value else "N"


def court_name(fips: str) -> str:
    profile = court_profile(fips)
    return profile.name if profile else f"General District Court ({fips})"


def sidebar_links(fips: str) -> str:
    common = f"fromSidebar=true&searchLanding=searchLanding&searchDivision=V&searchFipsCode={fips}&curentFipsCode={fips}"
    links = (("Hearing Date Search", f"caseSearch.do?{common}&searchType=hearingDate"),
             ("Name Search", f"nameSearch.do?{common}&searchType=name"),
             ("Case Number Search", f"criminalCivilCaseSearch.do?{common}&searchType=caseNumber"),
             ("Service/Process Search", f"caseSearch.do?{common}&searchType=serviceProcess"))
    items = "\n".join(f'\t\t\t\t<tr><td class="sidebarlink"><a href="{esc(href)}">{esc(text)}</a></td></tr>'
                      for text, href in links)
    options = "\n".join(f'\t\t\t\t\t<option value="{code}"{" selected" if code == fips else ""}>{esc(p.name)}</option>'
                        for code, p in COURTS.items())
    return f"""
\t\t<td class="sidebar" valign="top" width="180">
\t\t\t<table width="100%" cellspacing="0" cellpadding="3" border="0">
\t\t\t\t<tr><td class="sidebarheader">Civil</td></tr>
{items}
\t\t\t\t<tr><td class="sidebarheader">Court</td></tr>
\t\t\t\t<tr><td><select name="courtFips" id="courtFips">
{options}
\t\t\t\t</select></td></tr>
\t\t\t</table>
\t\t</td>"""


def chrome(content: str, *, fips: str | None = None, title: str = "General District Court Online Case Information System") -> str:
    sidebar = sidebar_links(fips) if fips else ""
    court = f'<span class="courtName">{esc(court_name(fips))}</span>' if fips else ""
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
\t<title>{esc(title)}</title>
\t<link rel="stylesheet" type="text/css" href="/gdcourts/css/gdcourts.css">
\t<script type="text/javascript" src="/gdcourts/js/gdcourts.js"></script>
</head>
<body leftmargin="0" topmargin="0">
<table width="100%" cellspacing="0" cellpadding="0" border="0" class="headerTable">
\t<tr>
\t\t<td class="header"><img src="/gdcourts/images/vajudicial.gif" alt="Virginia's Judicial System" border="0"></td>
\t\t<td class="headertitle">General District Court Online Case Information System<br>{court}</td>
\t</tr>
</table>
<table width="100%" cellspacing="0" cellpadding="0" border="0">
\t<tr>{sidebar}
\t\t<td class="content" valign="top">
{content}
\t\t</td>
\t</tr>
</table>
<div class="footer">Virginia's Judicial System &middot; Online Case Information System 2.0</div>
</body>
</html>
"""


# --- the gate ------------------------------------------------------------------------------


TERMS_TEXT = (
    "The information in this system is provided as a public service. The Office of the Executive "
    "Secretary makes no warranty of its accuracy. The data may not be used to harass any person, and "
    "automated bulk retrieval that degrades service for others is not permitted."
)


def terms_page(*, verification: bool = False, notice: str | None = None) -> str:
    message = f'\t\t\t<p><span class="errorFont">{esc(notice)}</span></p>\n' if notice else ""
    code = ('\t\t\t<p>Enter the code shown: <img src="captcha.jpg" alt="verification code" width="120" height="40">\n'
            '\t\t\t<input type="text" name="verificationCode" value="" size="10" autocomplete="off"></p>\n'
            if verification else "")
    content = f"""\t\t\t<h2 class="pageTitle">Terms and Conditions</h2>
{message}\t\t\t<p class="terms">{esc(TERMS_TEXT)}</p>
\t\t\t<form name="landingForm" action="landing.do" method="post">
{code}\t\t\t<input type="submit" name="accept" value="Accept" class="submitBox">
\t\t\t<input type="submit" name="decline" value="Decline" class="submitBox">
\t\t\t</form>"""
    return chrome(content, title="Terms and Conditions")


def expired_page(*, verification: bool = False) -> str:
    return terms_page(verification=verification,
                      notice=f"{EXPIRED}. Please accept the Terms and Conditions to continue.")


def declined_page() -> str:
    return chrome('\t\t\t<p>You must accept the Terms and Conditions to use this application. '
                  '<a href="landing.do">Return to the Terms and Conditions</a></p>')


def welcome_page(fips: str, *, whole_state: bool = False, state_courts: int = 0) -> str:
    # Every court the portal serves, as pairs of hidden inputs in the same order (public
    # scrapers build their court lists from them: docs/courts/va-gdc.md).
    listed = "".join(f'\t\t\t\t<input type="hidden" name="courtFips" value="{esc(code)}">\n'
                     f'\t\t\t\t<input type="hidden" name="courtName" value="{esc(p.name)}">\n'
                     for code, p in listed_courts(whole_state, state_courts).items())
    return chrome('\t\t\t<h2 class="pageTitle">Welcome</h2>\n\t\t\t<p>Select a search from the menu on the left. '
                  'Information is updated as cases are processed by the court.</p>\n'
                  f'\t\t\t<form name="courtList" action="caseSearch.do" method="post">\n{listed}\t\t\t</form>',
                  fips=fips)


def simple_page(text: str, *, fips: str | None = None, title: str | None = None) -> str:
    kwargs = {"title": title} if title else {}
    return chrome(f'\t\t\t<p class="message">{esc(text)}</p>', fips=fips, **kwargs)


def no_results_page(fips: str | None) -> str:
    return chrome(f'\t\t\t<table class="messageTable"><tr><td class="errorFont">{NO_RESULTS}</td></tr></table>', fips=fips)


def rate_limited_page() -> str:
    return simple_page(f"{RATE_LIMITED} Please wait before making further requests.", title="Request Limit")


def error_page(status: int, reason: str) -> str:
    return (f"<!DOCTYPE html>\n<html><head><title>{status} {esc(reason)}</title></head>\n"
            f"<body><h1>{status} {esc(reason)}</h1><p>The server encountered a problem.</p></body></html>\n")


def not_found_page() -> str:
    return error_page(404, "Not Found")


# --- searches ------------------------------------------------------------------------------


def _options(values: Iterable[str], selected: str) -> str:
    return "".join(f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(v or "All")}</option>'
                   for v in ("", *values))


def hearing_search_form(fips: str, *, term: str = "", error: str | None = None) -> str:
    profile = court_profile(fips)
    rooms = profile.courtrooms if profile else ()
    times = ("09:00 AM", "09:30 AM", "10:00 AM", "10:30 AM", "11:00 AM", "01:30 PM")
    message = f'\t\t\t<span id="error" class="errorFont">{esc(error)}</span>\n' if error else ""
    content = f"""\t\t\t<h2 class="pageTitle">Hearing Date Search</h2>
{message}\t\t\t<form name="caseSearchForm" action="caseSearch.do" method="post">
\t\t\t<input type="hidden" name="formAction" value="">
\t\t\t<input type="hidden" name="curentFipsCode" value="{esc(fips)}">
\t\t\t<input type="hidden" name="searchFipsCode" value="{esc(fips)}">
\t\t\t<table class="searchTable">
\t\t\t\t<tr><td class="label">Hearing Date (MM/DD/YYYY) :</td><td><input type="text" name="searchTerm" value="{esc(term)}" size="10"></td></tr>
\t\t\t\t<tr><td class="label">Hearing Time :</td><td><select name="searchHearingTime">{_options(times, "")}</select></td></tr>
\t\t\t\t<tr><td class="label">Courtroom :</td><td><select name="searchCourtroom">{_options(rooms, "")}</select></td></tr>
\t\t\t\t<tr><td class="label">Hearing Type :</td><td><select name="searchHearingType">{_options(("Return", "Trial", "Motion"), "")}</select></td></tr>
\t\t\t\t<tr><td class="label">Unit Number :</td><td><input type="text" name="searchUnitNumber" value=""></td></tr>
\t\t\t</table>
\t\t\t<input type="submit" name="caseSearch" value="Search" class="submitBox">
\t\t\t</form>"""
    return chrome(content, fips=fips)


def results_page(fips: str, fields: dict[str, str], rows: list[tuple[CaseRecord, Hearing]], *,
                 has_next: bool, counter: int, layout: str) -> str:
    case_header = "Docket #" if layout == "results-header" else "Case #"
    headers = ['<input type="checkbox" name="selectAll" onclick="checkAll(this)">', case_header,
               "Defendant", "Plaintiff", "Case Type", "Hearing Time"]
    head = "".join(f'\n\t\t\t\t\t<td class="gridheader">{h}</td>' for h in headers)
    body = "".join(_result_row(i, fips, record, hearing, counter) for i, (record, hearing) in enumerate(rows))
    hidden = "".join(f'\t\t\t<input type="hidden" name="{esc(name)}" value="{esc(fields.get(name, ""))}">\n'
                     for name in ("formAction", "curentFipsCode", "searchFipsCode", "searchTerm", "searchHearingTime",
                                  "searchCourtroom", "searchHearingType", "searchUnitNumber"))
    next_button = ('\t\t\t<input type="submit" name="caseInfoScrollForward" value="Next" class="submitBox">\n'
                   if has_next else "")
    content = f"""\t\t\t<h2 class="pageTitle">Hearing Date Search Results</h2>
\t\t\t<p class="searchCriteria">Hearing Date : {esc(fields.get("searchTerm", ""))}</p>
\t\t\t<form name="caseSearchForm" action="caseSearch.do" method="post">
{hidden}\t\t\t<input type="hidden" name="unCheckedCases" value="">
\t\t\t<table class="tableborder" width="100%" cellspacing="0" cellpadding="2">
\t\t\t\t<tr>{head}
\t\t\t\t</tr>{body}
\t\t\t</table>
{next_button}\t\t\t</form>"""
    return chrome(content, fips=fips)


def _result_row(index: int, fips: str, record: CaseRecord, hearing: Hearing, counter: int) -> str:
    number = record.case_number
    href = (f"caseSearch.do?formAction=caseDetails&displayCaseNumber={number}"
            f"&localFipsCode={fips}&clientSearchCounter={counter}")
    css = "evenRow" if index % 2 == 0 else "oddRow"
    defendant = record.defendants[0].name if record.defendants else ""
    plaintiff = record.plaintiffs[0].name if record.plaintiffs else ""
    # The live portal writes the link self-closed, leaving the number outside it for parsers.
    return f"""
\t\t\t\t<tr class="{css}">
\t\t\t\t\t<td class="gridrow"><input type="checkbox" name="selectedCases" value="{esc(number)}" checked></td>
\t\t\t\t\t<td class="gridrow"><a href="{esc(href)}"/>{esc(number)}</a></td>
\t\t\t\t\t<td class="gridrow">{esc(defendant)}</td>
\t\t\t\t\t<td class="gridrow">{esc(plaintiff)}</td>
\t\t\t\t\t<td class="gridrow">{esc(record.case_type)}</td>
\t\t\t\t\t<td class="gridrow">{esc(fmt_time(hearing.time))}</td>
\t\t\t\t</tr>"""


def case_number_form(fips: str, *, number: str = "", error: str | None = None) -> str:
    message = f'\t\t\t<span id="error" class="errorFont">{esc(error)}</span>\n' if error else ""
    content = f"""\t\t\t<h2 class="pageTitle">Case Number Search</h2>
{message}\t\t\t<form name="criminalCivilCaseSearchForm" action="criminalCivilCaseSearch.do" method="post">
\t\t\t<input type="hidden" name="formAction" value="submitCase">
\t\t\t<input type="hidden" name="searchFipsCode" value="{esc(fips)}">
\t\t\t<input type="hidden" name="searchDivision" value="V">
\t\t\t<input type="hidden" name="searchType" value="caseNumber">
\t\t\t<input type="hidden" name="localFipsCode" value="{esc(fips)}">
\t\t\t<input type="hidden" name="clientSearchCounter" value="0">
\t\t\tCase Number : <input type="text" name="displayCaseNumber" value="{esc(number)}" size="15">
\t\t\t<input type="submit" name="caseSearch" value="Search" class="submitBox">
\t\t\t</form>"""
    return chrome(content, fips=fips)
