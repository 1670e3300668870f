"""The civil case-detail page: nine titled sections, label/value tables and grids."""

from __future__ import annotations

from collections.abc import Sequence

from scraper.courts.va_gdc.sim.model import LEGACY_WRIT_LABELS_BEFORE
from scraper.courts.va_gdc.sim.pages import chrome, esc, fmt_date, fmt_money, fmt_time, fmt_yes_no
from scraper.records import Appeal, CaseRecord, Garnishment, Judgment, Party

_TOP = (("labelgridtopleft", "labelvaluegridtop"), ("labelgridtop", "labelvaluegridtopright"))
_REST = (("labelgridleft", "labelvaluegridright"), ("labelgrid", "labelvaluegrid"))


def section(title: str, toggle_id: str, inner: str) -> str:
    # The live site's toggle ids are swapped for plaintiffs/defendants; callers pass them as-is.
    return f"""
\t\t\t<table width="100%" cellspacing="0" cellpadding="0" border="0">
\t\t\t\t<tr>
\t\t\t\t\t<td class="tableback">
\t\t\t\t\t\t<table width="100%" cellspacing="0" cellpadding="2" border="0">
\t\t\t\t\t\t\t<tr>
\t\t\t\t\t\t\t\t<td class="subheader" colspan="4"><span></span><span>{esc(title)}</span></td>
\t\t\t\t\t\t\t</tr>
\t\t\t\t\t\t\t<tr id="{toggle_id}">
\t\t\t\t\t\t\t\t<td colspan="4">{inner}
\t\t\t\t\t\t\t\t</td>
\t\t\t\t\t\t\t</tr>
\t\t\t\t\t\t</table>
\t\t\t\t\t</td>
\t\t\t\t</tr>
\t\t\t</table>
\t\t\t<br>"""


def label_table(pairs: Sequence[tuple[str, str]]) -> str:
    """Two label/value pairs a row; labels end with ` :`; empty values stay empty."""
    rows = []
    for start in range(0, len(pairs), 2):
        classes = _TOP if start == 0 else _REST
        cells = []
        for (label, value), (label_css, value_css) in zip(pairs[start:start + 2], classes):
            cells.append(f'\n\t\t\t\t\t\t\t\t\t\t<td class="{label_css}">{esc(label)} :</td>'
                         f'\n\t\t\t\t\t\t\t\t\t\t<td class="{value_css}">{esc(value)}</td>')
        if len(cells) == 1:
            cells.append("\n\t\t\t\t\t\t\t\t\t\t<td></td><td></td>")
        rows.append(f"\n\t\t\t\t\t\t\t\t\t<tr>{''.join(cells)}\n\t\t\t\t\t\t\t\t\t</tr>")
    return f'\n\t\t\t\t\t\t\t\t<table width="100%" cellspacing="0" cellpadding="2">{"".join(rows)}\n\t\t\t\t\t\t\t\t</table>'


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<td class="subgridheader">{esc(h)}</td>' for h in headers)
    body = "".join(
        f'\n\t\t\t\t\t\t\t\t\t<tr class="{"gridrow" if i % 2 == 0 else "gridalternaterow"}">'
        + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
        for i, row in enumerate(rows))
    return (f'\n\t\t\t\t\t\t\t\t<table class="tableborder" width="100%" cellspacing="0" cellpadding="2">'
            f'\n\t\t\t\t\t\t\t\t\t<tr class="gridheader">{head}</tr>{body}\n\t\t\t\t\t\t\t\t</table>')


def _parties(parties: Sequence[Party]) -> str:
    return grid(("Name", "DBA/TA", "Address", "Judgment", "Attorney"),
                [(p.name, p.dba or "", p.address or "", p.judgment or "", p.attorney or "") for p in parties])


def _judgment_pairs(j: Judgment | None, legacy: bool) -> list[tuple[str, str]]:
    j = j or Judgment()
    writ = ([("Writ Issued Date", fmt_date(j.writ_issued_date))] if legacy else
            [("Writ of Eviction Issued Date", fmt_date(j.writ_issued_date)),
             ("Writ of Eviction Executed Date", fmt_date(j.writ_executed_date))])
    return [
        ("Judgment", j.judgment or ""), ("Costs", fmt_money(j.costs)),
        ("Attorney Fees", fmt_money(j.attorney_fees)), ("Principal Amount", fmt_money(j.principal)),
        ("Other Amount", fmt_money(j.other_amount)), ("Interest Award", j.interest_award or ""),
        ("Possession", fmt_yes_no(j.possession)), *writ,
        ("Homestead Exemption Waived", fmt_yes_no(j.homestead_exemption_waived)),
        ("Writ of Fieri Facias Issued Date", fmt_date(j.fifa_issued_date)),
        ("Is Judgment Satisfied", fmt_yes_no(j.satisfied)),
        ("Date Satisfaction Filed", fmt_date(j.satisfaction_filed_date)),
        ("Other Awarded", j.other_awarded or ""), ("Further Case Information", j.further_case_information or ""),
    ]


def detail_page(record: CaseRecord, fips: str, layout: str = "none") -> str:
    r = record
    g, a = r.garnishment or Garnishment(), r.appeal or Appeal()
    case_type_label = "Type of Case" if layout == "case-type-label" else "Case Type"
    hearing_title = "Hearing Details" if layout == "hearing-title" else "Hearing Information"
    parts = [
        section("Case Information", "toggleCase", label_table([
            ("Case Number", r.case_number), ("Filed Date", fmt_date(r.filed_date)),
            (case_type_label, r.case_type), ("Debt Type", r.debt_type or "")])),
        section("Plaintiff Information", "toggleDef", _parties(r.plaintiffs)),
        section("Defendant Information", "togglePlaintiff", _parties(r.defendants)),
        section(hearing_title, "toggleHearing", grid(
            ("Date", "Time", "Result", "Hearing Type", "Courtroom"),
            [(fmt_date(h.date), fmt_time(h.time), h.result or "", h.type or "", h.courtroom or "") for h in r.hearings])),
        section("Service/Process", "toggleServices", grid(
            ("Person Served", "Process Type", "Date Issued", "Date Served", "Plaintiff", "How Served"),
            [(s.person_served or "", s.process_type or "", fmt_date(s.date_issued), fmt_date(s.date_served),
              s.plaintiff or "", s.how_served or "") for s in r.services])),
        section("Reports", "toggleReports", grid(
            ("Report Type", "Reporting Agency", "Date Ordered", "Date Due", "Date Received"),
            [(x.report_type or "", x.reporting_agency or "", fmt_date(x.date_ordered), fmt_date(x.date_due),
              fmt_date(x.date_received)) for x in r.reports])),
        section("Judgment Information", "toggleJudgment",
                label_table(_judgment_pairs(r.judgment, r.filed_date < LEGACY_WRIT_LABELS_BEFORE))),
        section("Garnishment Information", "toggleGarnish", label_table([
            ("Garnishee", g.garnishee or ""), ("Address", g.address or ""),
            ("Garnishee Answer", g.garnishee_answer or ""), ("Answer Date", fmt_date(g.answer_date)),
            ("Number of Checks Received", g.number_of_checks_received or "")])),
        section("Appeal Information", "toggleAppeal", label_table([
            ("Appeal Date", fmt_date(a.appeal_date)), ("Appealed By", a.appealed_by or "")])),
    ]
    content = ('\t\t\t<h2 class="pageTitle">Case Details</h2>\n'
               '\t\t\t<p><a href="caseSearch.do?formAction=backToResults">Back to Search Results</a></p>'
               + "".join(parts))
    return chrome(content, fips=fips)
