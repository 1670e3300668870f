"""How the weekly list e-mail is laid out: what cannot wait first, then the rest by hearing day
and courtroom, and as many cases as fit the message (the attachments always hold them all).

Gmail clips a message whose HTML passes about 102 KB, hiding the rest behind a link people
rarely follow, so the body keeps under HTML_BUDGET bytes by leaving out the least urgent cases.
"""

from __future__ import annotations

import datetime as dt
import quopri
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from notify.rows import ACT_NOW, OutreachRow

HTML_BUDGET = 100_000  # bytes of HTML as sent (quoted-printable, CRLF): the decoded part is smaller still


@dataclass(frozen=True)
class HearingGroup:
    """The cases heard on one day in one courtroom (day None: no hearing set yet)."""

    day: dt.date | None
    court: str
    courtroom: str
    rows: tuple[OutreachRow, ...]


@dataclass(frozen=True)
class Layout:
    act_now: tuple[OutreachRow, ...]
    groups: tuple[HearingGroup, ...]
    left_out: int  # cases only in the attachments


def _urgency(row: OutreachRow) -> tuple:
    rank = min((list(ACT_NOW).index(c) for c in row.act_now if c in ACT_NOW), default=len(ACT_NOW))
    # The oldest writ is the nearest to being carried out; a hearing comes by its own date.
    return (rank, row.act_date or dt.date.max, row.hearing_date or dt.date.max, row.hearing_time or dt.time.min)


def by_urgency(rows: Sequence[OutreachRow]) -> list[OutreachRow]:
    """The act-now cases (writs, then default judgments, then the nearest hearings), then the
    rest in the order they came (the list's own: by next hearing)."""
    urgent = sorted((r for r in rows if r.act_now), key=_urgency)
    return urgent + [r for r in rows if not r.act_now]


def layout(rows: Sequence[OutreachRow], shown: int | None = None) -> Layout:
    """The first `shown` cases by urgency (all when None), arranged for reading."""
    ordered = by_urgency(rows)
    kept = ordered if shown is None else ordered[:shown]
    act_now = tuple(r for r in kept if r.act_now)
    groups: dict[tuple, list[OutreachRow]] = {}
    for row in kept:
        if not row.act_now:
            groups.setdefault((row.hearing_date, row.court, (row.courtroom or "").strip()), []).append(row)

    def order(key: tuple) -> tuple:
        day, court, room = key
        return (day is None, day or dt.date.min, court, room)

    arranged = tuple(
        HearingGroup(day, court, room, tuple(sorted(groups[(day, court, room)],
                                                    key=lambda r: (r.hearing_time or dt.time.min, r.case_number))))
        for day, court, room in sorted(groups, key=order))
    return Layout(act_now, arranged, len(ordered) - len(kept))


def sent_size(html: str) -> int:
    """The HTML part's size in the message: UTF-8, quoted-printable, CRLF line ends."""
    return len(quopri.encodestring(html.encode("utf-8"))) + html.count("\n")


def fitting(count: int, size_of: Callable[[int], int], budget: int = HTML_BUDGET) -> int:
    """The most cases (of `count`, by urgency) whose rendering `size_of(shown)` stays under the
    budget; 0 when even the frame does not fit."""
    if size_of(count) < budget:
        return count
    low, high = 0, count - 1  # size_of(low) is taken to fit; the answer is in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if size_of(mid) < budget:
            low = mid
        else:
            high = mid - 1
    return low
