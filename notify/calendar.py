"""A partner's upcoming hearings as an iCalendar feed, for a calendar app to subscribe to.

Calendar apps merge a subscribed feed by UID: an event's UID is stable per case and hearing
slot (the n-th hearing of the case), so when the court replaces an unheard hearing by another
setting (a reset) the event keeps its UID, moves, and its SEQUENCE rises (the store counts how
often the case's hearings moved or came off its page). An unheard hearing of a case that has
since closed is sent as STATUS:CANCELLED, so it leaves the calendar instead of lingering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from icalendar.prop import vText

from notify.docket import adds_to
from notify.outreach import Filters
from notify.render import CourtName
from notify.rows import flatten, lookup_text
from pipeline.lifecycle import hearing_result_words
from pipeline.store.notices import CaseView, HearingView

HEARING_LENGTH = dt.timedelta(hours=1)


def hearing_uid(court: str, case_number: str, slot: int) -> str:
    return f"{court}.{case_number}.hearing-{slot}@evictwatch"


def case_of_uid(uid: str) -> tuple[str, str]:
    """(court, case number) of a hearing_uid (court ids hold no dots)."""
    court, rest = uid.removesuffix("@evictwatch").split(".", 1)
    return court, rest.rsplit(".hearing-", 1)[0]


# Calendar apps render some markup in a description (Google Calendar does links and bold): a
# name's angle brackets come out as look-alike quotes, never as a tag. Bidirectional controls,
# which the parsers drop, go here too for a value stored otherwise: they make a line read backwards.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_PLAIN = str.maketrans({"<": "\u2039", ">": "\u203a", **dict.fromkeys(map(chr, _BIDI))})


def _text(value: str) -> str:
    return " ".join(flatten(value).translate(_PLAIN).split())


def escape_text(text: str) -> str:
    """A TEXT value as RFC 5545 section 3.3.11 writes it: the backslash first, then `;`, `,` and
    each line break (CR LF, CR or LF) as `\\n`."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


class Text(vText):
    """A TEXT property escaped by `escape_text` alone: icalendar's own escaping first turns a
    literal backslash-N (two characters a name may hold) into a line break."""

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode(self.encoding)


def hearings_calendar(cases: Iterable[CaseView], *, partner: str, since: dt.date, until: dt.date,
                      courts: Mapping[str, CourtName], zones: Mapping[str, str], revisions: Mapping[tuple[str, str], int],
                      generated_at: dt.datetime, filters: Filters = Filters(),
                      opted_out: set[str] = frozenset(), today: dt.date | None = None,
                      portals: Mapping[str, str] | None = None) -> Calendar:  # type: ignore[assignment]
    """One VEVENT per hearing dated in [since, until] of the partner's cases (filters applied).
    A hearing before `today` (or one with a result) says its own result; one to come, where the
    case stands. `portals`: each court's public address, where a person looks the case up."""
    cal = Calendar()
    cal.add("prodid", "-//evictwatch//eviction hearings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", Text(_text(f"Eviction hearings ({partner})")))
    stamp = generated_at.astimezone(dt.timezone.utc)
    for case in cases:
        tenant = case.tenant
        if case.household in opted_out or not filters.admits(
                case.court, tenant.zip5 if tenant else None, case.principal, case.landlord, case.filed_as,
                status=case.status):
            continue
        ordered = sorted(case.hearings, key=lambda h: (h.date, h.time or dt.time.min))
        for slot, hearing in enumerate(ordered, start=1):
            if not since <= hearing.date <= until:
                continue
            cal.add_component(_event(case, hearing, slot, courts, zones, revisions, stamp,
                                     today=today or stamp.date(), portal=(portals or {}).get(case.court, "")))
    cal.add_missing_timezones()
    return cal


def _event(case: CaseView, hearing: HearingView, slot: int, courts: Mapping[str, CourtName], zones: Mapping[str, str],
           revisions: Mapping[tuple[str, str], int], stamp: dt.datetime, *, today: dt.date, portal: str) -> Event:
    event = Event()
    event.add("uid", Text(hearing_uid(case.court, case.case_number, slot)))
    event.add("dtstamp", stamp)
    cancelled = case.closed and hearing.pending
    # Moving a hearing or closing its case is a new revision of the event, kept once the court
    # writes a result on it: SEQUENCE only grows.
    event.add("sequence", revisions.get((case.court, case.case_number), 0) + (1 if case.closed else 0))
    if hearing.time is not None:
        start = dt.datetime.combine(hearing.date, hearing.time, tzinfo=ZoneInfo(zones.get(case.court, "UTC")))
        event.add("dtstart", start)
        event.add("dtend", start + HEARING_LENGTH)
    else:
        event.add("dtstart", hearing.date)  # a day, when the court gives no time
    court = courts.get(case.court)
    court_name = _text(court.name if court else case.court)
    room = _text(hearing.courtroom or "")
    event.add("summary", Text(_text(f"Eviction hearing {case.case_number}" + (f" · {room}" if room else ""))))
    shown_room = room if room and adds_to(room, court_name) else ""
    event.add("location", Text(_text(", ".join(p for p in (court_name, shown_room) if p))))
    tenants = "; ".join(_text(p.name) for p in case.defendants if p.name)
    lines = [f"Tenants: {tenants}", f"Landlord: {_text(case.landlord or case.filed_as or '')}"]
    if hearing.date < today or not hearing.pending:
        # This hearing's own outcome: what the case became later is another event's, or the next list's.
        lines.append(f"Result: {_text(hearing_result_words(hearing.result_code, hearing.result))}")
    else:
        lines.append(f"Status: {_text(case.status_text)}")
    if hearing.type:
        lines.append(f"Hearing: {_text(hearing.type)}")
    lines.append(f"Look it up: {_text(lookup_text(portal, case.case_number))}")
    event.add("description", Text("\n".join(lines)))
    if portal.startswith("https://"):
        event.add("url", portal)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event
