"""The register of actions (CaseDetail.aspx) as a case record, per the brief's mapping."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from scraper.courts.tyler_odyssey.parse import (
    _AMOUNT,
    _AWARDED_TO,
    _OFFICER,
    _SERVED,
    _TIME,
    APPEAL_EVENTS,
    KNOWN_SECTIONS,
    ROLES,
    _classed,
    _lines,
    _money,
    _text,
    document,
    parse_date,
)
from scraper.errors import LayoutError
from scraper.pagetext import key, norm
from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party

_CASE_NO = re.compile(r"Case No\.?\s*(\S+)", re.I)


@dataclass
class _Event:
    date: dt.date
    name: str  # the bold event name
    text: str  # the whole row's text
    lines: list[str]


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
    unknown = tuple(f"section:{t}" for t in sections.titles if t not in KNOWN_SECTIONS)
    location = labels.get("location")
    dispositions, events = _events(sections)
    hearings = tuple(_hearing(e, location) for e in events if _TIME.search(e.text))
    judgment = _judgment(dispositions, events, parties)
    appeal = next((e.date for e in events if key(e.name) in APPEAL_EVENTS), None)
    return CaseRecord(
        court=court_id, case_number=number, matter_key=number, filed_date=filed, case_type=labels["case type"],
        plaintiffs=tuple(parties["plaintiffs"]), defendants=tuple(parties["defendants"]), hearings=hearings,
        judgment=judgment, appeal=Appeal(appeal_date=appeal) if appeal else None, unknown_fields=unknown,
    )


def _case_number(doc: Any, url: str) -> str:
    for div in _classed(doc, "div", "ssCaseDetailCaseNbr"):
        spans = [s for s in div.iter("span") if _text(s)]
        if spans:
            return _text(spans[0])
        match = _CASE_NO.search(_text(div))
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
    heads = [th for th in sections.members("party information", "th") if "ssTableHeader" in (th.get("class") or "")
             and "ssTableHeaderLabel" not in (th.get("class") or "")]
    attorney_ids = {th.get("id") for th in heads if key(th.text_content()).startswith("attorney") and th.get("id")}
    cells = sections.members("party information", "td")
    out: dict[str, list[Party]] = {"plaintiffs": [], "defendants": []}
    for tr in dict.fromkeys(th.getparent() for th in heads):  # rows in page order
        row = [th for th in tr if th in heads]
        if len(row) < 2:
            continue
        role, name_th = key(row[0].text_content()), row[1]
        group = ROLES.get(role)
        name = _text(name_th)
        if group is None or not name:
            continue
        name_id = name_th.get("id")
        address = attorney = None
        for td in cells:
            ids = set((td.get("headers") or "").split())
            if not name_id or name_id not in ids:
                continue
            if ids & attorney_ids:
                bold = [b for b in td.iter("b") if _text(b)]
                attorney = _text(bold[0]) if bold else ((_lines(td) or [None])[0])
            else:
                address = ", ".join(_lines(td)) or None
        out[group].append(Party(name=name, address=address, attorney=attorney))
    if not out["plaintiffs"] and not out["defendants"]:
        raise LayoutError(url, "Party Information parties (Plaintiff, Defendant)")
    return out


def _events(sections: _Sections) -> tuple[list[_Event], list[_Event]]:
    title = next((t for t in sections.titles if t.startswith("events")), None)
    if title is None:
        return [], []
    dispositions: list[_Event] = []
    events: list[_Event] = []
    target = events
    for tr in sections.members(title, "tr"):
        sub = [th for th in tr if "ssEventsAndOrdersSubTitle" in (th.get("class") or "")]
        if sub:
            target = dispositions if key(sub[0].text_content()).startswith("disposition") else events
            continue
        dated = [th for th in tr if "ssTableHeaderLabel" in (th.get("class") or "")]
        day = parse_date(dated[0].text_content()) if dated else None
        if day is None:
            continue
        content = [td for td in tr if td.tag == "td" and _text(td)]
        if not content:
            continue
        cell = content[-1]
        bold = [b for b in cell.iter("b") if _text(b)]
        name = _text(bold[0]) if bold else (_lines(cell) or [""])[0]
        target.append(_Event(day, name, _text(cell), _lines(cell)))
    return dispositions, events


def _hearing(event: _Event, location: str | None) -> Hearing:
    time = _TIME.search(event.text)
    hour, minute, half = int(time.group(1)), int(time.group(2)), time.group(3).upper()
    officer = _OFFICER.search(event.text)
    result = next((line.split(":", 1)[1].strip() for line in event.lines
                   if key(line.split(":", 1)[0]) == "result" and ":" in line), None)
    return Hearing(date=event.date, time=dt.time(hour % 12 + (12 if half == "P" else 0), minute),
                   result=result or None, type=event.name, courtroom=location,
                   judicial_officer=norm(officer.group(1)) if officer else None)


def _judgment(dispositions: list[_Event], events: list[_Event], parties: dict[str, list[Party]]) -> Judgment | None:
    writ_issued = next((e.date for e in events if key(e.name).startswith("writ of possession")), None)
    writ_served = next((parse_date(m.group(1)) for e in events
                        if key(e.name).startswith("writ") and not key(e.name).startswith("writ of possession")
                        for m in [_SERVED.search(e.text)] if m), None)
    last = dispositions[-1] if dispositions else None
    if last is None and writ_issued is None:
        return None
    side = amount = None
    if last is not None:
        awarded = _AWARDED_TO.search(last.text)
        winner = key(awarded.group(1)) if awarded else ""
        if winner and winner in {key(p.name) for p in parties["plaintiffs"]}:
            side = "Plaintiff"
        elif winner and winner in {key(p.name) for p in parties["defendants"]}:
            side = "Defendant"
        else:
            side = last.name
        found = _AMOUNT.search(last.text)
        amount = _money(found.group(1)) if found else None
    return Judgment(judgment=side, principal=amount, writ_issued_date=writ_issued, writ_executed_date=writ_served)
