"""The register of actions of one case as the portal shows it on a day."""

from __future__ import annotations

import datetime as dt
from html import escape

from scraper.courts.tyler_odyssey.sim.model import (
    ATTORNEYS,
    LEAD_ATTORNEYS,
    OCCUPANTS,
    OCCUPANTS_LINE,
    PRO_SE,
    CaseFacts,
    PartyFacts,
)
from scraper.courts.tyler_odyssey.sim.pages import _clock, _money, _padded, frame


def detail_page(case: CaseFacts, today: dt.date, layout: str, party_layout: str = ATTORNEYS) -> str:
    number = ("" if layout == "case-number"
              else f'<div class="ssCaseDetailCaseNbr">Case No. <span class="ssCaseDetailCaseNbr">{case.case_number}</span></div>')
    labels = "".join(f'<tr><th class="ssTableHeaderLabel" valign="top">{label}</th><td><b>{escape(value)}</b></td></tr>'
                     for label, value in (("Case Type:", case.case_type), ("Date Filed:", _padded(case.filed)),
                                          ("Location:", case.location)))
    head = (f'<div class="ssCaseDetailROA">Register of Actions</div>\n{number}\n'
            f'<table width="100%" border="0"><tr><td valign="top"><b>{escape(case.style)}</b></td>'
            f'<td align="right"><table>{labels}</table></td></tr></table>\n')
    lead = party_layout == LEAD_ATTORNEYS
    parties = _lead_attorneys_parties(case, layout) if lead else _parties(case, layout)
    events = _events(case, today, occupants_in_names=not lead)
    money = _financial(case, today)
    return frame(f"Register of Actions - {case.case_number}", head + parties + events + money,
                 end="</body>\n" if lead else "</body></html>\n")


def _title(text: str) -> str:
    return f'<div class="ssCaseDetailSectionTitle">{text}</div>\n'


def _parties(case: CaseFacts, layout: str) -> str:
    title = "Parties" if layout == "party-title" else "Party Information"
    rows = ['<tr><th></th><th></th><th class="ssTableHeader" id="PIc5" align="left">Attorneys</th></tr>']
    listed: list[tuple[str, PartyFacts]] = ([("Defendant", p) for p in case.defendants]
                                            + [("Plaintiff", p) for p in case.plaintiffs])
    for i, (role, party) in enumerate(listed, start=1):
        role_id, name_id = f"PIr0{i}", f"PIr1{i}"
        attorney = (f"<b>{escape(party.attorney)}</b><br>&nbsp;&nbsp;Retained" if party.attorney else "")
        rows.append(f'<tr><th class="ssTableHeader" id="{role_id}" align="left">{role}</th>'
                    f'<th class="ssTableHeader" id="{name_id}" align="left">{escape(party.name)}</th>'
                    f'<td headers="{name_id} PIc5" valign="top" rowspan="2">{attorney}</td></tr>')
        address = "<br>".join(escape(line) for line in party.address_lines) or "&nbsp;"
        rows.append(f'<tr><td headers="{role_id}">&nbsp;</td>'
                    f'<td headers="{role_id} {name_id}" valign="top">{address}</td></tr>')
        rows.append('<tr><td colspan="3">&nbsp;</td></tr>')
    return _title(title) + '<table width="100%" border="0" cellspacing="0" cellpadding="0">' + "\n".join(rows) + "</table>\n"


def _lead_attorneys_parties(case: CaseFacts, layout: str) -> str:
    """Party Information as the Lead Attorneys counties configure it (docs/courts/tyler-odyssey.md): header ids
    broken over lines, a spacer cell, the attorney with how retained and a phone or `Pro Se`, the
    occupants on the address block's first line."""
    title = "Parties" if layout == "party-title" else "Party Information"
    rows = ['<tr><th id="PIc0" class="ssTableHeaderBlank"></th><th id="PIc1" class="ssTableHeaderBlank"></th>'
            '<th id="PIc4" class="ssTableHeaderBlank"></th>'
            '<th id="PIc5" class="ssTableHeader" align="left"><u>Lead Attorneys</u></th></tr>']
    listed: list[tuple[str, PartyFacts]] = ([("Defendant", p) for p in case.defendants]
                                            + [("Plaintiff", p) for p in case.plaintiffs])
    for i, (role, party) in enumerate(listed, start=1):
        ids = f"&#xD;&#xA; PIr0{i} &#xD;&#xA; PIr1{i}"
        attorney = (f"<b>{escape(party.attorney)}</b><br>&nbsp;&nbsp;&nbsp;<i>Retained</i><br>"
                    f"&nbsp;&nbsp;&nbsp;512-555-01{sum(map(ord, party.attorney)) % 100:02d}(W)"
                    if party.attorney else PRO_SE)
        rows.append(f'<tr><th id="PIr0{i}" class="ssTableHeader" align="left">{role}</th>'
                    f'<th id="PIr1{i}" class="ssTableHeader" align="left">{escape(party.person)}</th>'
                    f'<td headers="{ids} &#xD;&#xA; PIc4"> </td>'
                    f'<td headers="{ids} &#xD;&#xA; PIc5 " valign="top" rowspan="2" align="left">{attorney}</td></tr>')
        lines = ([f"<nobr>{OCCUPANTS_LINE}</nobr>"] if party.with_occupants else [])
        lines += [escape(line) for line in party.address_lines]
        rows.append(f'<tr><td headers="PIr0{i}"></td><td headers="{ids} " valign="top" colspan="2">'
                    f'{"<br>".join(lines) or "&nbsp;"}</td></tr>')
        rows.append('<tr><td colspan="4">&nbsp;</td></tr>')
    return (_title(title) + '<table style="table-layout:fixed" width="100%" border="0" cellspacing="0" cellpadding="0">'
            + "\n".join(rows) + "</table>\n")


def _shown(text: str, occupants_in_names: bool) -> str:
    """Names in event text as the county prints its parties' names."""
    return text if occupants_in_names else text.replace(OCCUPANTS, "")


def _events(case: CaseFacts, today: dt.date, occupants_in_names: bool = True) -> str:
    rows = []
    disposition = case.disposition_as_of(today)
    if disposition is not None:
        rows.append('<tr><th class="ssEventsAndOrdersSubTitle" colspan="3">DISPOSITIONS</th></tr>')
        lines = [f"<b>{escape(disposition.name)}</b>&nbsp;(Judicial Officer: {escape(disposition.officer)})"]
        if disposition.amount is not None:
            lines.append(f"<nobr>Judgment of $ {disposition.amount:,.2f}</nobr>")
        if disposition.awarded_to:
            lines.append(f"Awarded To: {escape(_shown(disposition.awarded_to, occupants_in_names))}")
            lines.append(f"Awarded Against: {escape(_shown(disposition.awarded_against or '', occupants_in_names))}")
        rows.append(f'<tr><th class="ssTableHeaderLabel" valign="top">{_padded(disposition.date)}</th>'
                    f'<td></td><td>{"<br>".join(lines)}</td></tr>')
    dated = [(e.date, 0, f"<b>{escape(e.name)}</b>"
              + (f"&nbsp;&nbsp;{escape(_shown(e.detail, occupants_in_names))}" if e.detail else ""))
             for e in case.events_as_of(today)]
    for s in case.settings_as_of(today):
        text = (f"<b>{escape(s.type)}</b>&nbsp;({_clock(s.time)})&nbsp;(Judicial Officer {escape(s.officer)})")
        if s.result and s.date < today:
            text += f"<br><div>Result: {escape(s.result)}</div>"
        dated.append((s.date, 1, text))
    dated.sort(key=lambda d: (d[0], d[1]))
    rows.append('<tr><th class="ssEventsAndOrdersSubTitle" colspan="3">OTHER EVENTS AND HEARINGS</th></tr>')
    rows.extend(f'<tr><th class="ssTableHeaderLabel" valign="top">{_padded(day)}</th><td></td><td>{text}</td></tr>'
                for day, _, text in dated)
    return _title("Events &amp; Orders of the Court") + '<table width="100%">' + "\n".join(rows) + "</table>\n"


def _financial(case: CaseFacts, today: dt.date) -> str:
    if case.assessment is None:
        return ""
    plaintiff = case.plaintiffs[0]
    paid = case.paid
    rows = [f'<tr><td colspan="4"><b>Plaintiff {escape(plaintiff.name)}</b></td></tr>',
            f"<tr><td>Total Financial Assessment</td><td></td><td></td><td align=\"right\">{_money(case.assessment)}</td></tr>",
            f"<tr><td>Total Payments and Credits</td><td></td><td></td><td align=\"right\">{_money(paid)}</td></tr>",
            f"<tr><td>Balance Due as of {_padded(today)}</td><td></td><td></td>"
            f"<td align=\"right\">{_money(case.assessment - paid)}</td></tr>",
            f"<tr><td>{_padded(case.filed)}</td><td>Transaction Assessment</td><td></td>"
            f"<td align=\"right\">{_money(case.assessment)}</td></tr>"]
    if paid:
        rows.append(f"<tr><td>{_padded(case.filed)}</td><td>EFile Payments from TexFile</td>"
                    f"<td>Receipt # DC-{case.filed.year}-{case.case_id % 100000:05d}</td>"
                    f"<td align=\"right\">{_money(-paid)}</td></tr>")
    return _title("Financial Information") + '<table width="100%">' + "\n".join(rows) + "</table>\n"
