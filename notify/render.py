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

from notify import alertlayout
from notify.listlayout import HearingGroup, Layout, cut_banner, fitting, in_body_order, layout, sent_size
from notify.watchdigest import WATCH_COLUMNS, WatchFact, WatchItem
from notify.cells import neutralize  # noqa: F401  (re-exported: the public API lives here)
from notify.rows import (  # noqa: F401  (re-exported: the public API lives here)
    ALERT_COLUMNS,
    ALERT_KINDS,
    COLUMNS,
    AlertItem,
    Link,
    OutreachRow,
    act_now_text,
    alert_columns,
    alert_label,
    display,
    flatten,
    list_columns,
    rows_csv,
    rows_xlsx,
    table_csv,
    table_xlsx,
)
from notify.urgency import TIER_NAMES, Tier, tier_count

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
    street: bool = True  # its portal publishes street addresses (the court system's adapter says)
    set_aside_stated: bool = True  # its court system states a window for setting a default judgment aside


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
    """One case as display strings (flattened, unescaped: the HTML template escapes), one table row.
    `first` and `second` head the row: why it is in its tier, or its hearing's time and type."""
    landlord = flatten(row.landlord or "")
    filed_as = flatten(row.filed_as or "")
    if filed_as and filed_as != landlord:
        landlord = f"{landlord} (filed as {filed_as})" if landlord else filed_as
    where = _where(row.courtroom, row.hearing_type)
    hearing = ("hearing " + ", ".join(p for p in (_when(row.hearing_date, row.hearing_time), where, court) if p)
               if row.hearing_date else "")
    default = (f"default judgment {_day(row.default_on)}, set-aside window open until {_day(row.set_aside_until)}"
               if row.default_on and row.set_aside_until else "")
    writ = f"writ of eviction issued {_day(row.writ_on)}, not executed" if row.writ_on else ""
    tier = row.tier
    if tier is Tier.HEARING_SOON:
        first = _when(row.hearing_date, row.hearing_time)
        second = "; ".join(p for p in (", ".join(p for p in (where, court) if p), default, writ) if p)
    elif tier is Tier.DEFAULT_JUDGMENT:
        first, second = default[:1].upper() + default[1:], "; ".join(p for p in (writ, hearing) if p)
    elif tier is Tier.WRIT_ISSUED:
        first, second = writ[:1].upper() + writ[1:], hearing
    else:
        first = clock_text(row.hearing_time) or ("" if row.hearing_date else f"Filed {row.filed_date.isoformat()}")
        second = flatten(row.hearing_type or "").strip()
    return {
        "first": first,
        "second": second,
        "case_number": flatten(row.case_number),
        "url": _link(row.lookup)["url"],
        "tenants": "; ".join(flatten(n) for n in row.defendants if n),
        "street": flatten(row.street or ""),
        "zip5": flatten(row.zip5 or ""),
        "landlord": landlord,
        "amount": _amount(row.amount),
        "status": flatten(row.status_text or row.status),
        "prior": str(row.prior_cases),
        "attorney": flatten(row.attorney) if row.attorney else "none",
    }


def _group(group: HearingGroup, courts: Mapping[str, CourtName], several_courts: bool) -> dict[str, Any]:
    if group.day is None:
        title = "No hearing set yet"
    else:
        title = " · ".join(p for p in (_day(group.day), _where(group.courtroom, None)) if p)
    if several_courts:
        title += f" · {_court(group.court, courts)}"
    return {"title": title, "cases": [_case(r) for r in group.rows]}


def _shown_of(shown: int, total: int) -> str:
    return str(total) if shown == total else f"{shown} of {total}"


def _tiers(arranged: Layout, courts: Mapping[str, CourtName], several: bool) -> list[dict[str, Any]]:
    """The urgent tiers as sections: a title, what is shown of how many, and the cases."""
    sections = []
    for section in arranged.tiers:
        cases = [_case(r, _court(r.court, courts) if several else "") for r in section.rows]
        unrepresented = sum(1 for r in section.rows if r.attorney is None)
        shown = _shown_of(len(section.rows), section.total)
        sections.append({
            "title": TIER_NAMES[section.tier], "tier": int(section.tier), "count": shown, "cases": cases,
            "lede": (f"{unrepresented} without a lawyer first" if section.tier is Tier.HEARING_SOON and unrepresented
                     else ""),
            "summary": tier_count(section.tier, section.total) + (
                f" ({len(section.rows)} shown here)" if len(section.rows) < section.total else ""),
        })
    return sections


def _courts_notes(courts: Mapping[str, CourtName]) -> list[str]:
    """What a list cannot say about some of its courts, one line each."""
    notes = []
    for missing, line in ((lambda c: not c.street, "No street addresses: the public pages of {} give only city, "
                           "state and ZIP."),
                          (lambda c: not c.set_aside_stated, "No set-aside window is stated for default judgments "
                           "in {}: they are listed with the other cases, not under Act now.")):
        names = list(dict.fromkeys(flatten(c.name) for c in courts.values() if missing(c)))
        if names:
            notes.append(line.format(" and ".join(names)))
    return notes


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
                    generated_at: datetime, note: str = "", as_of: datetime | None = None) -> RenderedList:
    """The weekly list for one partner: the urgent tiers, then the rest by hearing day and
    courtroom, as many as keep the HTML under the budget (notify.listlayout); the CSV and XLSX
    hold every row in the same order. `courts`: the courts the list covers, by config id; the
    intro names those its cases come from (all of them when it has none). `as_of`: the moment
    the list is made (local), which every rule counted from."""
    ordered = in_body_order(rows)
    present = {r.court for r in ordered}
    named = {c: n for c, n in courts.items() if c in present} or courts
    context = _header(partner, period, len(ordered), "case", note, generated_at, named)
    subject = f"Eviction outreach list {context['period']}: {context['count_text']} ({context['partner']})"
    several = len(present) > 1
    portals = [f"{_court(court, courts)}: {url}" if several else url
               for court, url in dict.fromkeys((r.court, flatten(r.lookup_url)) for r in ordered) if url]
    street = any(c.street for c in courts.values()) or not courts
    columns = list_columns({c: flatten(n.name) for c, n in courts.items()}, street=street)
    context |= {"subject": subject, "portals": portals, "court_notes": _courts_notes(named) if ordered else [],
                "as_of": _when(as_of.date(), as_of.time()) if as_of else ""}

    def body(shown: int | None) -> dict[str, Any]:
        arranged = layout(ordered, shown)
        tiers = _tiers(arranged, courts, several)
        return {**context, "tiers": tiers, "groups": [_group(g, courts, several) for g in arranged.groups],
                "left_out": arranged.left_out, "shown": len(ordered) - arranged.left_out,
                "banner": cut_banner(arranged, len(ordered))}

    html = _ENV.get_template("outreach.html.j2")
    shown = fitting(len(ordered), lambda n: sent_size(html.render(body(n))))
    full = body(shown)
    return RenderedList(subject=subject, html=html.render(full), text=_ENV.get_template("outreach.txt.j2").render(full),
                        csv=rows_csv(ordered, columns),
                        xlsx=rows_xlsx(ordered, generated_at=generated_at, columns=columns),
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
    """The urgent digest by tier (notify.alertlayout): unrepresented hearings on the next court
    day, default judgments, writs issued, then executed writs for the record."""
    ordered = alertlayout.in_tier_order(items)
    context = _header(partner, period, len(ordered), "alert", note, generated_at, courts)
    period_h, partner_h = context["period"], context["partner"]
    if ordered:
        subject = f"URGENT: {_plural(len(ordered), 'eviction alert')} {period_h} ({partner_h})"
    else:
        subject = f"Eviction alerts {period_h}: none ({partner_h})"
    alerts = [_alert(i, courts) for i in ordered]

    def body(shown: int) -> dict[str, Any]:  # the most urgent first: a long digest drops its tail
        found = alertlayout.sections(ordered, shown)
        start = [sum(len(s.items) for s in found[:n]) for n in range(len(found))]
        return {**context, "subject": subject, "shown": shown, "left_out": len(alerts) - shown,
                "summary": alertlayout.summary(found), "banner": alertlayout.cut_banner(found, len(ordered)),
                "sections": [{"title": s.title, "count": _shown_of(len(s.items), s.total),
                              "alerts": alerts[first:first + len(s.items)], "first": first}
                             for s, first in zip(found, start) if s.items]}

    html = _ENV.get_template("alerts.html.j2")
    shown = fitting(len(alerts), lambda n: sent_size(html.render(body(n))))
    columns = alert_columns({c: flatten(n.name) for c, n in courts.items()})
    return _rendered("alerts", subject, body(shown), table_csv(columns, ordered),
                     table_xlsx(columns, ordered, title="Alerts", generated_at=generated_at), "eviction-alerts")


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
        "matched_by": item.matched_by, "chance": item.chance, "reasons": "; ".join(item.reasons),
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
