"""The register of actions (CaseDetail.aspx) as a case record, per the brief's mapping.

Read by section titles (`div.ssCaseDetailSectionTitle`), header labels (`th.ssTableHeaderLabel`),
party headers (`th.ssTableHeader` and the cells whose `headers` name them), the events' dated
rows and their sub-titles; never by position, attribute order or the numbering of ids.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scraper.courts.tyler_odyssey.parse import (
    _AMOUNT,
    _AWARDED,
    _OFFICER,
    _SERVED,
    _TIME,
    JUDGMENT_MONEY,
    KNOWN_SECTIONS,
    ROLES,
    _classed,
    _lines,
    _text,
    document,
    parse_date,
)
from scraper.errors import LayoutError
from scraper.money import read_amount
from scraper.pagetext import key, norm
from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party
from scraper.vocabulary import fold

_CASE_NO = re.compile(r"Case No\.?\s*([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)", re.I)
_NUMBER = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$")

# What follows an event's name on its row: "(11:30 AM)", "(Judicial Officer ...)".
_NAME_TAIL = re.compile(r"\s*\((?:\d{1,2}:\d{2}\s*[AP]\.?M\.?|Judicial Officer\b[^)]*)\).*$", re.I)
_RESULT = re.compile(r"\bResult:\s*(.+)$", re.I)


@dataclass
class _Event:
    date: dt.date
    name: str  # the event's name: "Eviction Hearing", "Writ of Possession Requested", ...
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class _Sections:
    """Each element of the page under the section title that precedes it."""

    titles: list[str] = field(default_factory=list)
    of: dict[Any, str] = field(default_factory=dict)

    def members(self, title: str, tag: str) -> list[Any]:
        return [el for el, t in self.of.items() if t == title and el.tag == tag]


def _sections(doc: Any) -> _Sections:
    out = _Sections()
    titles = set(_classed(doc, "div", "ssCaseDetailSectionTitle"))
    current = ""
    for el in doc.iter():
        if el in titles:
            current = key(el.text_content())
            out.titles.append(current)
        elif current and isinstance(el.tag, str):
            out.of[el] = current
    return out


def parse_register(html: str, url: str, court_id: str | None = None) -> CaseRecord:
    doc = document(html, url)
    number = _case_number(doc, url)
    labels = _labels(doc)
    for needed in ("case type", "date filed"):
        if not labels.get(needed):
            raise LayoutError(url, f"{needed.title()}: label")
    filed = parse_date(labels["date filed"])
    if filed is None:
        raise LayoutError(url, "Date Filed: value", labels["date filed"])
    sections = _sections(doc)
    if "party information" not in sections.titles:
        raise LayoutError(url, "Party Information section")
    parties = _parties(sections, url)
    unknown = [f"section:{t}" for t in sections.titles if t not in KNOWN_SECTIONS]
    dispositions, events = _events(sections, url)
    last = max(dispositions, key=lambda d: d.date) if dispositions else None
    hearings = tuple(_hearing(e, labels.get("location"), last) for e in events if _TIME.search(e.text))
    appeal = min((e.date for e in events if key(e.name).startswith("appeal")), default=None)
    return CaseRecord(
        court=court_id, case_number=number, matter_key=number, filed_date=filed, case_type=labels["case type"],
        plaintiffs=tuple(parties["plaintiffs"]), defendants=tuple(parties["defendants"]), hearings=hearings,
        judgment=_judgment(last, events, parties, unknown), appeal=Appeal(appeal_date=appeal) if appeal else None,
        unknown_fields=tuple(unknown),
    )


def _case_number(doc: Any, url: str) -> str:
    for div in _classed(doc, "div", "ssCaseDetailCaseNbr"):
        for span in div.iter("span"):
            if _NUMBER.match(norm(span.text_content())):
                return norm(span.text_content())
        match = _CASE_NO.search(norm(div.text_content()))
        if match:
            return match.group(1)
    raise LayoutError(url, "Case No.")


def _labels(doc: Any) -> dict[str, str]:
    """Header labels (`Case Type:` ...) to their values: the first of each."""
    out: dict[str, str] = {}
    for th in _classed(doc, "th", "ssTableHeaderLabel"):
        label = key(th.text_content())
        if not label or parse_date(th.text_content()) is not None or label in out:
            continue
        value = th.getnext()
        while value is not None and value.tag != "td":
            value = value.getnext()
        out[label] = _text(value)
    return out


def _parties(sections: _Sections, url: str) -> dict[str, list[Party]]:
    heads = [th for th in sections.members("party information", "th")
             if "ssTableHeader" in (th.get("class") or "").split()]
    attorney_ids = {th.get("id") for th in heads if key(th.text_content()).startswith("attorney") and th.get("id")}
    cells = sections.members("party information", "td")
    out: dict[str, list[Party]] = {"plaintiffs": [], "defendants": []}
    for tr in dict.fromkeys(th.getparent() for th in heads):  # rows in page order
        row = [th for th in tr if th in heads]
        if len(row) < 2:
            continue
        group = ROLES.get(key(row[0].text_content()))
        name_th = next((th for th in row[1:] if key(th.text_content()) not in ROLES), row[1])
        name = _text(name_th)
        if group is None or not name:
            continue
        name_id = name_th.get("id")
        address = attorney = None
        for td in cells:
            ids = set((td.get("headers") or "").split())
            if not name_id or name_id not in ids:
                continue
            # The attorney column: named so in `headers`, or the cell beside the name (the
            # address lines come on the party's next row).
            if ids & attorney_ids or (attorney_ids and td.getparent() is tr):
                bold = [b for b in td.iter("b") if _text(b)]
                attorney = _text(bold[0]) if bold else ((_lines(td) or [None])[0])
            elif address is None:
                address = ", ".join(_lines(td)) or None
        out[group].append(Party(name=name, address=address, attorney=attorney))
    if not out["plaintiffs"] and not out["defendants"]:
        raise LayoutError(url, "Party Information parties (Plaintiff, Defendant)")
    return out


def _events(sections: _Sections, url: str) -> tuple[list[_Event], list[_Event]]:
    title = next((t for t in sections.titles if t.startswith("events")), None)
    if title is None:  # every register has at least its petition: a missing section is a new layout
        raise LayoutError(url, "Events & Orders of the Court section")
    dispositions: list[_Event] = []
    events: list[_Event] = []
    target = events
    for tr in sections.members(title, "tr"):
        sub = [th for th in tr if "ssEventsAndOrdersSubTitle" in (th.get("class") or "")]
        if sub:
            target = dispositions if key(sub[0].text_content()).startswith("disposition") else events
            continue
        dated = [c for c in tr if c.tag in ("th", "td") and parse_date(c.text_content()) is not None]
        content = [td for td in tr if td.tag == "td" and _text(td) and td not in dated]
        if not dated or not content:
            continue
        cell = content[-1]
        if any(parse_date(th.text_content()) is not None for th in cell.iter("th")):
            # Another event's dated row inside this one's cell: broken markup merged them.
            raise LayoutError(url, "Events & Orders of the Court rows", "an event's cell holds other dated rows")
        lines = _lines(cell)
        bold = [b for b in cell.iter("b") if _text(b)]
        name = _NAME_TAIL.sub("", _text(bold[0]) if bold else lines[0]).strip()
        target.append(_Event(parse_date(dated[0].text_content()), name, lines))
    if not events and not dispositions:
        raise LayoutError(url, "dated events (th.ssTableHeaderLabel) in Events & Orders of the Court")
    return dispositions, events


def _hearing(event: _Event, location: str | None, disposition: _Event | None) -> Hearing:
    time = _TIME.search(event.text)
    hour, minute, half = int(time.group(1)), int(time.group(2)), time.group(3).upper()
    officer = _OFFICER.search(event.text)
    result = next((m.group(1).strip() for line in event.lines for m in [_RESULT.search(line)] if m), None)
    if not result and disposition is not None and disposition.date == event.date:
        result = disposition.name  # a hearing with no result on its disposition's day ended in it
    return Hearing(date=event.date, time=dt.time(hour % 12 + (12 if half == "P" else 0), minute),
                   result=result or None, type=event.name, courtroom=location,
                   judicial_officer=norm(officer.group(1)) if officer else None)


def _judgment(last: _Event | None, events: list[_Event], parties: dict[str, list[Party]],
              unknown: list[str]) -> Judgment | None:
    writ_issued = min((e.date for e in events if key(e.name).startswith("writ of possession")), default=None)
    writ_served = min((parse_date(m.group(1)) for e in events if key(e.name).startswith("writ")
                       for m in [_SERVED.search(e.text)] if m), default=None)
    if last is None and writ_issued is None:
        return None
    side = amount = None
    if last is not None:
        side = _awarded(last, parties) or last.name
        amount = _principal(last, unknown)
    return Judgment(judgment=side, principal=amount, writ_issued_date=writ_issued, writ_executed_date=writ_served)


def _principal(disposition: _Event, unknown: list[str]) -> Decimal | None:
    """The disposition's `Judgment of $ 1,477.90`; None when it states none, and None counted as
    an unread value when its amount is not one in the register's format (or it states two different ones)."""
    texts = [m.group(1) for line in disposition.lines for m in _AMOUNT.finditer(line)]
    if not texts:
        return None
    amounts = {read_amount(text, JUDGMENT_MONEY) for text in texts}
    if len(amounts) == 1 and None not in amounts:
        return amounts.pop()
    unknown.append("unreadable:principal")
    return None


def _same(name: str) -> str:
    """A party's name for matching "Awarded To": `Willow Bend Homes, L.L.C.` is `Willow Bend Homes LLC`."""
    return "".join(fold(name).split())


def _awarded(disposition: _Event, parties: dict[str, list[Party]]) -> str | None:
    """"Plaintiff" or "Defendant": whom the disposition awards to (or, failing a match, against)."""
    names = {side: {_same(p.name) for p in parties[group]}
             for side, group in (("Plaintiff", "plaintiffs"), ("Defendant", "defendants"))}
    other = {"Plaintiff": "Defendant", "Defendant": "Plaintiff"}
    for match in _AWARDED.finditer(disposition.text):
        listed = {_same(n) for n in match.group(2).split(";") if n.strip()}
        for side, known in names.items():
            if listed & known:
                return side if match.group(1).lower() == "to" else other[side]
    return None
