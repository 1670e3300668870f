"""The weekly outreach list and the urgent-alert digest, rendered for e-mail.

Each rendering has a subject, an HTML body (Jinja2, autoescaped, StrictUndefined, inline CSS),
the same content as plain text, and the rows as CSV and XLSX attachments (see notify.rows for
how cells are made safe). The weekly list is one table row a case (see notify.listlayout).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notify.listlayout import HearingGroup, fitting, layout, sent_size
from notify.watchdigest import WATCH_COLUMNS, WatchFact, WatchItem
from notify.rows import (  # noqa: F401  (re-exported: the public API lives here)
    ACT_NOW,
    ALERT_COLUMNS,
    ALERT_KINDS,
    COLUMNS,
    AlertItem,
    Link,
    OutreachRow,
    act_now_text,
    alert_label,
    display,
    flatten,
    neutralize,
    rows_csv,
    rows_xlsx,
    table_csv,
    table_xlsx,
)

TEMPLATES = Path(__file__).with_name("templates")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_URL = re.compile(r"(https://[^\s<>\"']+)")


@dataclass(frozen=True)
class RenderedList:
    subject: str
    html: str
    text: str
    csv: bytes
    xlsx: bytes
    filename_stem: str


@dataclass(frozen=True)
class CourtName:
    """How a list names a court: its configured name and its court system's own word for an
    eviction case ("unlawful detainer" in Virginia, "eviction" in Texas)."""

    name: str
    term: str


def courts_text(courts: Sequence[CourtName]) -> str:
    """"Alexandria GDC (unlawful detainer) and Travis County JP Court 1": each court once, with
    its own term where that is not plain "eviction"."""
    parts = []
    for court in dict.fromkeys(courts):
        name = _header_safe(court.name)
        term = _header_safe(court.term)
        parts.append(name if term.lower() == "eviction" else f"{name} ({term})")
    if not parts:
        return "the courts evictwatch watches"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def environment() -> Environment:
    """HTML templates are autoescaped (and anything unknown is, too); text templates are not."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2", "htm", "xml"),
                                     disabled_extensions=("txt.j2", "txt"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = environment()


def _day(d: date | None) -> str:
    return f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}" if d else ""


def clock_text(t: time | None) -> str:
    if t is None:
        return ""
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def _when(d: date | None, t: time | None) -> str:
    return " ".join(part for part in (_day(d), clock_text(t)) if part) or "no hearing set"


def _generated(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M") + (f" {at.tzname()}" if at.tzinfo else "")


def _link(link: Link) -> dict[str, str]:
    """A lookup as text around the portal's address, linked only when that address (from config,
    never from court data) is https."""
    text = flatten(link.text)
    url = flatten(link.url)
    if not (url.startswith("https://") and text.startswith(url) and _URL.fullmatch(url)):
        return {"before": text, "url": "", "after": ""}
    return {"before": "", "url": url, "after": text[len(url):]}


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "partner"


def _header_safe(text: str) -> str:
    return " ".join(flatten(text).split())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _amount(value: Decimal | None) -> str:
    return f"${value:,.2f}" if value is not None else ""


def _court(court_id: str, courts: Mapping[str, CourtName]) -> str:
    named = courts.get(court_id)
    return flatten(named.name if named else court_id)


def _where(courtroom: str | None, hearing_type: str | None) -> str:
    room = flatten(courtroom or "").strip()
    if room and len(room) <= 4:  # a bare room code ("2B"); a court's own location name reads as it is
        room = f"Courtroom {room}"
    return ", ".join(p for p in (room, flatten(hearing_type or "").strip()) if p)


def _case(row: OutreachRow, court: str = "") -> dict[str, Any]:
    """One case as display strings (flattened, unescaped: the HTML template escapes), one table row."""
    landlord = flatten(row.landlord or "")
    filed_as = flatten(row.filed_as or "")
    if filed_as and filed_as != landlord:
        landlord = f"{landlord} (filed as {filed_as})" if landlord else filed_as
    where = _where(row.courtroom, row.hearing_type)
    return {
        "time": clock_text(row.hearing_time),
        "hearing_type": flatten(row.hearing_type or "").strip(),
        "case_number": flatten(row.case_number),
        "filed": row.filed_date.isoformat(),
        "url": _link(row.lookup)["url"],
        "tenants": "; ".join(flatten(n) for n in row.defendants if n),
        "street": flatten(row.street or ""),
        "zip5": flatten(row.zip5 or ""),
        "landlord": landlord,
        "amount": _amount(row.amount),
        "status": flatten(row.status_text or row.status),
        "prior": str(row.prior_cases),
        "attorney": flatten(row.attorney) if row.attorney else "none",
        "why": act_now_text(row.act_now),
        "since": f"on {_day(row.act_date)}" if row.act_date else "",
        "hearing": "hearing " + ", ".join(p for p in (_when(row.hearing_date, row.hearing_time), where, court) if p)
                   if row.hearing_date else "",
    }


def _group(group: HearingGroup, courts: Mapping[str, CourtName], several_courts: bool) -> dict[str, Any]:
    if group.day is None:
        title = "No hearing set yet"
    else:
        title = " · ".join(p for p in (_day(group.day), _where(group.courtroom, None)) if p)
    if several_courts:
        title += f" · {_court(group.court, courts)}"
    return {"title": title, "cases": [_case(r) for r in group.rows]}


def _header(partner: str, period: str, count: int, noun: str, note: str, generated_at: datetime,
            courts: Mapping[str, CourtName]) -> dict[str, Any]:
    """What every rendering's templates share (all of it safe for headers too)."""
    return {"partner": _header_safe(partner), "period": _header_safe(period), "count": count,
            "count_text": _plural(count, noun), "note": flatten(note).strip(), "generated": _generated(generated_at),
            "courts": courts_text(list(courts.values()))}


def _rendered(template: str, subject: str, context: dict[str, Any], csv: bytes, xlsx: bytes,
              stem: str) -> RenderedList:
    context = {**context, "subject": subject}
    return RenderedList(subject=subject, html=_ENV.get_template(f"{template}.html.j2").render(context),
                        text=_ENV.get_template(f"{template}.txt.j2").render(context), csv=csv, xlsx=xlsx,
                        filename_stem=f"{stem}-{_slug(context['period'])}-{_slug(context['partner'])}")


def render_outreach(partner: str, period: str, rows: Sequence[OutreachRow], *, courts: Mapping[str, CourtName],
                    generated_at: datetime, note: str = "") -> RenderedList:
    """The weekly list for one partner: the cases that cannot wait, then the rest by hearing day
    and courtroom, as many as keep the HTML under the budget (notify.listlayout); the CSV and
    XLSX hold every row in the order given (by next hearing). `courts`: the courts the list
    covers, by config id; the intro names those its cases come from (all of them when it has none)."""
    present = {r.court for r in rows}
    named = {c: n for c, n in courts.items() if c in present} or courts
    context = _header(partner, period, len(rows), "case", note, generated_at, named)
    subject = f"Eviction outreach list {context['period']}: {context['count_text']} ({context['partner']})"
    several = len({r.court for r in rows}) > 1
    portals = [f"{_court(court, courts)}: {url}" if several else url
               for court, url in dict.fromkeys((r.court, flatten(r.lookup_url)) for r in rows) if url]

    def body(shown: int | None) -> dict[str, Any]:
        arranged = layout(rows, shown)
        return {**context, "subject": subject,
                "act_now": [_case(r, _court(r.court, courts) if several else "") for r in arranged.act_now],
                "groups": [_group(g, courts, several) for g in arranged.groups], "left_out": arranged.left_out,
                "shown": len(rows) - arranged.left_out, "portals": portals}

    html = _ENV.get_template("outreach.html.j2")
    shown = fitting(len(rows), lambda n: sent_size(html.render(body(n))))
    full = body(shown)
    return RenderedList(subject=subject, html=html.render(full), text=_ENV.get_template("outreach.txt.j2").render(full),
                        csv=rows_csv(rows), xlsx=rows_xlsx(rows, generated_at=generated_at),
                        filename_stem=f"eviction-outreach-{_slug(context['period'])}-{_slug(context['partner'])}")


def _alert(item: AlertItem, courts: Mapping[str, CourtName]) -> dict[str, Any]:
    return {
        "label": alert_label(item.kind),
        "when": _when(item.when, item.hearing_time) if item.hearing_time else _day(item.when),
        "where": _where(item.courtroom, item.hearing_type),
        "case_number": flatten(item.case_number),
        "court": _court(item.court, courts),
        "tenants": "; ".join(flatten(n) for n in item.defendants if n),
        "zip5": flatten(item.zip5 or ""),
        "landlord": flatten(item.landlord or ""),
        "lookup": _link(item.lookup),
        "lookup_text": flatten(item.lookup.text),
    }


def render_alerts(partner: str, period: str, items: Sequence[AlertItem], *, courts: Mapping[str, CourtName],
                  generated_at: datetime, note: str = "") -> RenderedList:
    """The urgent digest (writs, default judgments, unrepresented hearings tomorrow), in given order."""
    context = _header(partner, period, len(items), "alert", note, generated_at, courts)
    period_h, partner_h = context["period"], context["partner"]
    if items:
        subject = f"URGENT: {_plural(len(items), 'eviction alert')} {period_h} ({partner_h})"
    else:
        subject = f"Eviction alerts {period_h}: none ({partner_h})"
    alerts = [_alert(i, courts) for i in items]

    def body(shown: int) -> dict[str, Any]:  # the most urgent first: a long digest drops its tail
        return {**context, "subject": subject, "alerts": alerts[:shown], "shown": shown,
                "left_out": len(alerts) - shown}

    html = _ENV.get_template("alerts.html.j2")
    shown = fitting(len(alerts), lambda n: sent_size(html.render(body(n))))
    return _rendered("alerts", subject, body(shown), table_csv(ALERT_COLUMNS, items),
                     table_xlsx(ALERT_COLUMNS, items, title="Alerts", generated_at=generated_at), "eviction-alerts")


def operator_text(subject: str, lines: Sequence[str], *, generated_at: datetime) -> str:
    """A plain-text message to the operators (keys, counts and case numbers only, by design)."""
    body = "\n".join(flatten(line) for line in lines)
    return f"{flatten(subject)}\n\n{body}\n\n-- evictwatch, {_generated(generated_at)}\n"


def _watch_fact(fact: WatchFact) -> str:
    when = _when(fact.date, fact.time) if fact.time else _day(fact.date)
    if fact.kind == "watch_match":
        return "Match confirmed by review" if fact.detail == "confirmed" else f"New match ({flatten(fact.detail)})"
    return " ".join(p for p in (fact.label + (":" if when or fact.detail else ""), when,
                                f"({flatten(fact.detail)})" if fact.detail and when else flatten(fact.detail)) if p)


def _watch(item: WatchItem, courts: Mapping[str, CourtName]) -> dict[str, Any]:
    hearing = item.next_hearing
    return {
        "row_id": flatten(item.row_id), "match_id": item.match_id, "verdict": item.verdict,
        "matched_by": item.matched_by, "score": f"{item.score:.0f}", "reasons": "; ".join(item.reasons),
        "news": [_watch_fact(f) for f in item.news],
        "case_number": flatten(item.case_number), "court": _court(item.court, courts),
        "filed": _day(item.filed_date), "tenants": "; ".join(flatten(n) for n in item.defendants if n),
        "zip5": flatten(item.zip5 or ""), "landlord": flatten(item.landlord or ""), "status": item.status_text,
        "hearing": (_when(hearing.date, hearing.time) + (f", {_where(hearing.courtroom, hearing.type)}"
                                                         if _where(hearing.courtroom, hearing.type) else ""))
        if hearing else "none set", "lookup": _link(item.lookup), "lookup_text": flatten(item.lookup.text),
    }


def render_watch(partner: str, period: str, items: Sequence[WatchItem], *, courts: Mapping[str, CourtName],
                 generated_at: datetime) -> RenderedList:
    """A partner's watch-list digest: new matches (confident, then to review), then what
    happened in the cases it follows, in the order given. The intro names the courts its cases
    are from (all of `courts` when it has none)."""
    present = {i.court for i in items}
    named = {c: n for c, n in courts.items() if c in present} or courts
    context = _header(partner, period, len(items), "case", "", generated_at, named)
    confident = sum(1 for i in items if any(f.kind == "watch_match" and f.detail == "confident" for f in i.news))
    review = sum(1 for i in items if i.verdict == "to review")
    subject = f"Watch list {context['period']}: {_plural(len(items), 'case')} ({context['partner']})"
    entries = [_watch(i, courts) for i in items]

    def body(shown: int) -> dict[str, Any]:
        return {**context, "subject": subject, "items": entries[:shown], "shown": shown,
                "left_out": len(entries) - shown, "confident": confident, "review": review}

    html = _ENV.get_template("watch.html.j2")
    shown = fitting(len(entries), lambda n: sent_size(html.render(body(n))))
    return _rendered("watch", subject, body(shown), table_csv(WATCH_COLUMNS, items),
                     table_xlsx(WATCH_COLUMNS, items, title="Watch list", generated_at=generated_at),
                     "watch-list")
