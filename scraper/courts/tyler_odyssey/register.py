"""The register of actions (CaseDetail.aspx) as a case record, per docs/courts/tyler-odyssey.md's mapping.

Read by section titles (`div.ssCaseDetailSectionTitle`), header labels (`th.ssTableHeaderLabel`),
party headers (`th.ssTableHeader` and the cells whose `headers` name them), the events' dated
rows and their sub-titles; never by position, attribute order or the numbering of ids.
What the portal shows once (the case header, Party Information, Events & Orders of the Court and
each of its sub-titles) is a layout error when met twice, or a header label with two values: read
as they come, every party or event would count twice. Values holding U+FFFD (bytes the page's
charset could not decode) are counted as unread values, `undecodable:<section>:<field>`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
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
    _classed,
    _lines,
    _text,
    document,
    parse_date,
)
from scraper.courts.tyler_odyssey.parties import read_parties, without_occupants
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
REPLACED = "\ufffd"  # what a decoder writes for bytes it could not decode
HEADER = "case header"  # the labels above the first section title, in unread values' names
# Sections read, by what they hold, and those the portal shows once. Financial Information
# (shown per party) is not read: any number of them is accepted.
PARTIES, EVENTS, FINANCIAL = "parties", "events", "financial"
ONCE = {PARTIES, EVENTS}


def _role(title: str) -> str | None:
    """What a section holds, by its title (`Events and Orders of the Court` is the events too)."""
    if title == "party information":
        return PARTIES
    if title.startswith("events"):
        return EVENTS
    return FINANCIAL if title == "financial information" else None


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
    """Each element of the page under the section title that precedes it (its role), and the
    case header: the elements before the first title."""

    titles: list[str] = field(default_factory=list)
    of: dict[Any, str | None] = field(default_factory=dict)
    header: set[Any] = field(default_factory=set)

    def title(self, role: str) -> str | None:
        return next((t for t in self.titles if _role(t) == role), None)

    def members(self, role: str, tag: str) -> list[Any]:
        return [el for el, r in self.of.items() if r == role and el.tag == tag]


def _sections(doc: Any, url: str) -> _Sections:
    out = _Sections()
    titles = set(_classed(doc, "div", "ssCaseDetailSectionTitle"))
    seen: dict[str, str] = {}
    role: str | None = None
    for el in doc.iter():
        if el in titles:
            title = key(el.text_content())
            role = _role(title)
            if role in ONCE:
                _once(f"single section {title!r}", seen.get(role), title, url)
                seen[role] = title
            out.titles.append(title)
        elif not isinstance(el.tag, str):
            continue
        elif out.titles:
            out.of[el] = role
        else:
            out.header.add(el)
    return out


def _once(what: str, earlier: str | None, title: str, url: str) -> None:
    """A title the portal shows once, met again (or under another spelling)."""
    if earlier == title:
        raise LayoutError(url, what, "the title appears more than once")
    if earlier is not None:
        raise LayoutError(url, what, f"the page also has {earlier!r}")


def parse_register(html: str, url: str, court_id: str | None = None) -> CaseRecord:
    doc = document(html, url)
    sections = _sections(doc, url)
    number = _case_number(doc, url)
    labels = _labels(doc, sections, url)
    for needed in ("case type", "date filed"):
        if not labels.get(needed):
            raise LayoutError(url, f"{needed.title()}: label")
    filed = parse_date(labels["date filed"])
    if filed is None:
        raise LayoutError(url, "Date Filed: value", labels["date filed"])
    if sections.title(PARTIES) is None:
        raise LayoutError(url, "Party Information section")
    unknown = [f"section:{t}" for t in sections.titles if _role(t) is None]
    unknown += _undecodable(HEADER, labels.items())
    parties = read_parties(sections.members(PARTIES, "th"), sections.members(PARTIES, "td"), url)
    for party in (*parties["plaintiffs"], *parties["defendants"]):
        unknown += _undecodable("party information", (("name", party.name), ("address", party.address),
                                                      ("attorney", party.attorney)))
    dispositions, events = _events(sections, url)
    unknown += _undecodable(sections.title(EVENTS), [("disposition", d.text) for d in dispositions]
                            + [("event", e.text) for e in events])
    last = max(dispositions, key=lambda d: d.date) if dispositions else None
    hearings = tuple(_hearing(e, labels.get("location"), last) for e in events if _TIME.search(e.text))
    appeal = min((e.date for e in events if key(e.name).startswith("appeal")), default=None)
    return CaseRecord(
        court=court_id, case_number=number, matter_key=number, filed_date=filed, case_type=labels["case type"],
        plaintiffs=tuple(parties["plaintiffs"]), defendants=tuple(parties["defendants"]), hearings=hearings,
        judgment=_judgment(last, events, parties, unknown), appeal=Appeal(appeal_date=appeal) if appeal else None,
        unknown_fields=tuple(unknown),
    )


def _undecodable(section: str | None, values: Iterable[tuple[str, str | None]]) -> list[str]:
    """One unread value for each value holding U+FFFD: bytes the page's charset could not decode
    (the decoders replace them rather than stop the court)."""
    return [f"undecodable:{section}:{name}" for name, value in values if value and REPLACED in value]


def _case_number(doc: Any, url: str) -> str:
    divs = _classed(doc, "div", "ssCaseDetailCaseNbr")
    if len(divs) > 1:  # the case header, shown once: two are two registers run together
        raise LayoutError(url, "single case header (Case No.)", "the page shows it more than once")
    for div in divs:
        for span in div.iter("span"):
            if _NUMBER.match(norm(span.text_content())):
                return norm(span.text_content())
        match = _CASE_NO.search(norm(div.text_content()))
        if match:
            return match.group(1)
    raise LayoutError(url, "Case No.")


def _labels(doc: Any, sections: _Sections, url: str) -> dict[str, str]:
    """Header labels (`Case Type:` ...) to their values. A label the case header repeats must
    repeat its value; one under a section is read only when the header lacks it."""
    out: dict[str, str] = {}
    for th in _classed(doc, "th", "ssTableHeaderLabel"):
        label = key(th.text_content())
        if not label or parse_date(th.text_content()) is not None:
            continue
        value = th.getnext()
        while value is not None and value.tag != "td":
            value = value.getnext()
        text = _text(value)
        if label not in out:
            out[label] = text
        elif th in sections.header and out[label] != text:
            raise LayoutError(url, f"single value of the label {label!r}", "the case header shows two different ones")
    return out


def _events(sections: _Sections, url: str) -> tuple[list[_Event], list[_Event]]:
    if sections.title(EVENTS) is None:  # every register has its petition: no section is a new layout
        raise LayoutError(url, "Events & Orders of the Court section")
    dispositions: list[_Event] = []
    events: list[_Event] = []
    target = events
    subtitles: dict[str, str] = {}
    for tr in sections.members(EVENTS, "tr"):
        sub = [th for th in tr if "ssEventsAndOrdersSubTitle" in (th.get("class") or "")]
        if sub:
            subtitle = key(sub[0].text_content())
            kind = "dispositions" if subtitle.startswith("disposition") else subtitle
            if kind:  # each sub-title is shown once: a second one is the section's rows again
                _once(f"single sub-title {subtitle!r} in Events & Orders of the Court", subtitles.get(kind),
                      subtitle, url)
                subtitles[kind] = subtitle
            target = dispositions if kind == "dispositions" else events
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
    """A party's name for matching "Awarded To": `Willow Bend Homes, L.L.C.` is `Willow Bend Homes LLC`,
    `Doe, John And All Other Occupants` is `Doe, John`."""
    return "".join(fold(without_occupants(name)).split())


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
