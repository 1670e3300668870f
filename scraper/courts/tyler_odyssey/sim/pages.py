"""The simulated Odyssey Public Access pages, in the markup docs/courts/tyler-odyssey.md describes.

WebForms search pages whose submit works only through the page's own script (it signs the
view state it was served), results with `Record Count`, calendar rows of nested tables,
registers of actions. Attribute order, whitespace and the odd empty cell vary the way the
live pages do; parsers must read by titles, labels and header text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from scraper.courts.tyler_odyssey.sim.model import PRECINCTS, CaseFacts, SettingFacts

LOCATIONS = ("All Courts", *PRECINCTS)
EXPIRED = "Your session has expired or the request is invalid"
TOO_MANY = "There are too many matches to display. Please narrow your search criteria."
NO_MATCH = "No cases matched your search criteria."
SHADE = ' bgcolor="#EEEEEE"'  # alternate rows

# The page's own signing of its view state: djb2 over salt|viewstate, as the server checks it.
SIGN_JS = """function __ewSign(s, v) { var t = s + "|" + v, h = 5381;
  for (var i = 0; i < t.length; i++) { h = ((h * 33) ^ t.charCodeAt(i)) >>> 0; }
  return h.toString(16); }"""


def sign(salt: str, viewstate: str) -> str:
    h = 5381
    for ch in f"{salt}|{viewstate}":
        h = ((h * 33) ^ ord(ch)) & 0xFFFFFFFF
    return format(h, "x")


def _day(d: dt.date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


def _padded(d: dt.date) -> str:
    return d.strftime("%m/%d/%Y")


def _clock(t: dt.time) -> str:
    return f"{(t.hour % 12) or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def _money(value: Decimal) -> str:
    return f"({-value:,.2f})" if value < 0 else f"{value:,.2f}"


def frame(title: str, body: str, *, end: str = "</body></html>\n") -> str:
    """A whole page; `end`: how it closes (some counties' registers end at `</body>`)."""
    return (
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n"
        f"<html><head><title>{escape(title)}</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<link rel="stylesheet" href="CSS/PublicAccess.css" type="text/css">\n'
        '<script src="https://analytics.example.invalid/gtag/js?id=UA-000000-1"></script>\n'
        "</head>\n<body>\n"
        '<table class="ssPageHeader" width="100%"><tr><td><img src="Images/OdysseyPA.gif" alt="Odyssey">'
        '</td><td align="right"><a class="ssHeaderLink" href="default.aspx">Home</a></td></tr></table>\n'
        f"{body}\n{end}"
    )


def error_page() -> str:
    return frame("Error", f'<div class="ssErrorMessage"><p>{EXPIRED}.</p>'
                          '<p><a href="default.aspx">Return to the search menu</a></p></div>')


def default_page(selected: str) -> str:
    options = "".join(f'<option value="{i}"{" selected" if name == selected else ""}>{escape(name)}</option>'
                      for i, name in enumerate(LOCATIONS))
    return frame("Odyssey Public Access", f"""
<form id="MenuForm" method="get" action="default.aspx">
<table><tr><td class="ssMenuText">Location :</td><td>
<select id="sbxControlID2" name="NodeID" onchange="__ewLocation(this.value)">{options}</select></td></tr></table>
</form>
<table class="ssSearchMenu"><tr><td>
<a class="ssSearchHyperlink" id="CaseRecordsLink" href="Search.aspx?ID=200&amp;NodeID={LOCATIONS.index(selected)}">Civil, Family &amp; Probate Case Records</a><br>
<a class="ssSearchHyperlink" id="CalendarLink" href="Search.aspx?ID=900&amp;NodeID={LOCATIONS.index(selected)}">Court Calendar</a>
</td></tr></table>
<script>
function __ewLocation(node) {{
  var links = document.querySelectorAll("a.ssSearchHyperlink");
  for (var i = 0; i < links.length; i++) {{ links[i].href = links[i].href.replace(/NodeID=\\d+/, "NodeID=" + node); }}
}}
</script>""")


def _hidden(viewstate: str, validation: str) -> str:
    return (f'<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">\n'
            f'<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">\n'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate}">\n'
            '<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="BBBC20B8">\n'
            f'<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{validation}">\n'
            '<input type="hidden" name="SearchSubmitToken" id="SearchSubmitToken" value="">\n')


def _script(salt: str) -> str:
    return f"""<script>
var theForm = document.forms['SearchForm'];
var __ewSalt = "{salt}";
{SIGN_JS}
function __doPostBack(eventTarget, eventArgument) {{
  if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
    theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument;
    theForm.SearchSubmitToken.value = __ewSign(__ewSalt, theForm.__VIEWSTATE.value);
    theForm.submit(); }}
}}
</script>"""


def search_page(kind: str, location: str, viewstate: str, validation: str, salt: str) -> str:
    """kind: "case" (Search.aspx?ID=200) or "calendar" (ID=900)."""
    submit = ('<input type="submit" name="SearchSubmit" id="SearchSubmit" value="Search" '
              "onclick=\"__doPostBack('SearchSubmit',''); return false;\">")
    if kind == "case":
        title, action = "Civil, Family & Probate Case Records", "Search.aspx?ID=200"
        fields = """
<tr><td>Search By:</td><td>
<input type="radio" name="SearchBy" id="Party" value="1" checked><label for="Party">Defendant or Party</label>
<input type="radio" name="SearchBy" id="Case" value="0"><label for="Case">Case</label></td></tr>
<tr><td><label for="CaseSearchValue">Case Number:</label></td><td><input type="text" name="CaseSearchValue" id="CaseSearchValue" value=""></td></tr>
<tr><td>Date Filed On or After:</td><td><input type="text" name="DateFiledOnAfter" id="DateFiledOnAfter" value=""></td></tr>
<tr><td>Date Filed On or Before:</td><td><input type="text" name="DateFiledOnBefore" id="DateFiledOnBefore" value=""></td></tr>"""
    else:
        title, action = "Court Calendar", "Search.aspx?ID=900"
        boxes = "".join(f'<input type="checkbox" name="{box}" id="{box}" checked><label for="{box}">{label}</label> '
                        for box, label in (("chkDtRangeCriminal", "Criminal"), ("chkDtRangeFamily", "Family"),
                                           ("chkDtRangeCivil", "Civil"), ("chkDtRangeProbate", "Probate")))
        fields = f"""
<tr><td>Search By:</td><td>
<input type="radio" name="SearchBy" id="JudicialOfficer" value="4" checked><label for="JudicialOfficer">Judicial Officer</label>
<input type="radio" name="SearchBy" id="DateRange" value="5"><label for="DateRange">Date Range</label></td></tr>
<tr><td>Case Category:</td><td>{boxes}</td></tr>
<tr><td>Date On or After:</td><td><input type="text" name="DateSettingOnAfter" id="DateSettingOnAfter" value=""></td></tr>
<tr><td>Date On or Before:</td><td><input type="text" name="DateSettingOnBefore" id="DateSettingOnBefore" value=""></td></tr>"""
    return frame(title, f"""
<form name="SearchForm" id="SearchForm" method="post" action="{action}">
{_hidden(viewstate, validation)}<table class="ssSearchForm">
<tr><td colspan="2" class="ssSearchTitle">{escape(title)} &middot; Location : {escape(location)}</td></tr>{fields}
<tr><td></td><td>{submit}</td></tr></table>
</form>
{_script(salt)}""")


def captcha_page() -> str:
    return frame("Security Check", """
<form id="CaptchaForm" method="post" action="Search.aspx">
<div class="ssCaptcha"><p>Please type the characters shown in the image to continue.</p>
<img src="Captcha.aspx" alt="CAPTCHA image"><input type="text" name="CaptchaText" id="CaptchaText">
<input type="submit" id="CaptchaSubmit" value="Continue"></div></form>""")


def _header_class(layout: str) -> str:
    """The "results-header" fault: a redesigned results table whose headers lost their class."""
    return "ssResultHead" if layout == "results-header" else "ssSearchResultHeader"


def _banner(title: str, count: int, search_line: str) -> str:
    return (f'<table width="100%"><tr><td class="ssPageTitle">{escape(title)} Search Results</td></tr>\n'
            f'<tr><td>Record Count: <b>{count}</b></td></tr>\n'
            f'<tr><td class="ssSearchParamList">{search_line}</td></tr></table>\n')


def status_text(case: CaseFacts, today: dt.date) -> str:
    events = {e.name for e in case.events_as_of(today)}
    if events & {"Appeal Bond", "Appealed to County Court"}:
        return "Appealed"
    return "Final Status" if case.disposition_as_of(today) is not None else "Active"


def case_results(cases: list[CaseFacts], today: dt.date, capped: bool, search_line: str, layout: str) -> str:
    headers = ("Case Number", "Style", "Filed/Location", "Type/Status")
    head = "".join(f'<th class="{_header_class(layout)}" nowrap>{h}</th>' for h in headers)
    rows = f'<tr><td colspan="4">{TOO_MANY}</td></tr>' if capped else "".join(
        f"<tr{SHADE if i % 2 else ''}>"
        f'<td valign="top"><a href="CaseDetail.aspx?CaseID={c.case_id}" style="color: blue">{c.case_number}</a></td>'
        f'<td valign="top">{escape(c.style)}</td>'
        f'<td valign="top" nowrap><div>{_padded(c.filed)}</div><div>{escape(c.location)}</div></td>'
        f'<td valign="top" nowrap><div>{escape(c.case_type)}</div><div>{status_text(c, today)}</div></td></tr>\n'
        for i, c in enumerate(cases))
    body = f'<table cellspacing="0" cellpadding="2" border="0" width="100%"><tr>{head}</tr>\n{rows}</table>'
    return frame("Search Results", _banner("Civil, Family & Probate Case Records", 0 if capped else len(cases),
                                           search_line) + body)


def calendar_results(rows: list[tuple[CaseFacts, SettingFacts]], capped: bool, since: dt.date, until: dt.date,
                     layout: str) -> str:
    line = (f"Search By: Date Range &nbsp; Date On or After: {_day(since)} &nbsp; Date On or Before: "
            f"{_day(until)} &nbsp; Case Categories: Civil &nbsp; Sort By: Date and Time")
    sort = ('<select id="SortBy" name="SortBy">' + "".join(
        f"<option>{o}</option>" for o in ("Case Number", "Date and Time", "Defendant", "Hearing Type",
                                          "Judicial Officer", "Plaintiff")) + "</select>")
    headers = ("Case Number", "Style/Defendant Info", "Judicial Officer", "Date/Time/Hearing Type")
    head = "".join(f'<th class="{_header_class(layout)}">{h}</th>' for h in headers)
    bottom = "".join(f'<th class="{_header_class(layout)}Bottom">{h}</th>'
                     for h in ("Type", "", "Location", "Hearing"))
    if capped:
        body_rows = f'<tr><td colspan="4">{TOO_MANY}</td></tr>'
    else:
        body_rows = "".join(_setting_row(i, case, setting) for i, (case, setting) in enumerate(rows))
    table = (f'<table cellspacing="0" cellpadding="2" width="100%"><tr>{head}</tr><tr>{bottom}</tr>\n'
             f"{body_rows}</table>")
    banner = _banner("Court Calendar", 0 if capped else len(rows), line)
    return frame("Court Calendar Search Results", banner + sort + table)


def _setting_row(i: int, case: CaseFacts, s: SettingFacts) -> str:
    return (
        f"<tr{SHADE if i % 2 else ''}>"
        f'<td valign="top"><table><tr><td><a href="CaseDetail.aspx?CaseID={case.case_id}">{case.case_number}</a>'
        f"</td></tr><tr><td>{escape(case.case_type)}</td></tr></table></td>"
        f'<td valign="top"><table><tr><td>{escape(case.style)}</td></tr></table></td>'
        f'<td valign="top"><table><tr><td>{escape(s.officer)}</td></tr><tr><td>{escape(case.location)}</td></tr>'
        "</table></td>"
        f'<td valign="top" nowrap><table><tr><td>{_day(s.date)}</td></tr><tr><td>{_clock(s.time)}</td></tr>'
        f"<tr><td>{escape(s.type)}</td></tr></table></td></tr>\n")


def no_results(title: str, search_line: str) -> str:
    return frame("Search Results", _banner(title, 0, search_line) + f'<p class="ssNoResults">{NO_MATCH}</p>')
