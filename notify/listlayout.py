"""How the weekly list e-mail is laid out: the urgent tiers first (notify.urgency), then the
rest by hearing day and courtroom, and as many cases as fit the message (the attachments always
hold them all, in the same order).

Gmail clips a message whose HTML passes about 102 KB, hiding the rest behind a link people
rarely follow, so the body keeps under HTML_BUDGET bytes by leaving out cases from the bottom:
never one of a tier while a case of a lower tier is shown.
"""

from __future__ import annotations

import datetime as dt
import quopri
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from notify.rows import OutreachRow
from notify.urgency import URGENT, Tier, tier_count

HTML_BUDGET = 100_000  # bytes of HTML as sent (quoted-printable, CRLF): the decoded part is smaller still


@dataclass(frozen=True)
class HearingGroup:
    """The cases heard on one day in one courtroom (day None: no hearing set yet)."""

    day: dt.date | None
    court: str
    courtroom: str
    rows: tuple[OutreachRow, ...]


@dataclass(frozen=True)
class TierSection:
    tier: Tier
    rows: tuple[OutreachRow, ...]  # shown in the body
    total: int                     # on the list


@dataclass(frozen=True)
class Layout:
    tiers: tuple[TierSection, ...]  # the urgent tiers the list has cases in, most urgent first
    groups: tuple[HearingGroup, ...]
    left_out: int                   # cases only in the attachments
    cut_in: Tier | None             # the tier of the first case left out (None: all shown)

    @property
    def cut_alone(self) -> bool:
        """The cut fell in the first urgent tier shown: that tier alone is over the budget."""
        return self.cut_in in URGENT and not any(s.rows for s in self.tiers if s.tier < self.cut_in)


def _room(row: OutreachRow) -> str:
    return (row.courtroom or "").strip()


def body_key(row: OutreachRow) -> tuple:
    """Where a case stands in the body (and the attachments): its tier, then within it what comes
    first to a person acting on it."""
    tier = row.tier
    if tier is Tier.HEARING_SOON:  # those without a lawyer first, then as the hearings come
        return (tier, row.attorney is not None, row.hearing_date, row.hearing_time or dt.time.min, row.court,
                _room(row), row.case_number)
    if tier is Tier.DEFAULT_JUDGMENT:  # the window that closes first
        return (tier, row.default_on or dt.date.min, row.court, row.case_number)
    if tier is Tier.WRIT_ISSUED:  # the oldest writ is the nearest to being carried out
        return (tier, row.writ_on or dt.date.min, row.court, row.case_number)
    return (tier, row.hearing_date is None, row.hearing_date or dt.date.min, row.court, _room(row),
            row.hearing_time or dt.time.min, row.case_number)


def in_body_order(rows: Sequence[OutreachRow]) -> list[OutreachRow]:
    return sorted(rows, key=body_key)


def layout(rows: Sequence[OutreachRow], shown: int | None = None) -> Layout:
    """The first `shown` cases in body order (all when None), arranged for reading."""
    ordered = in_body_order(rows)
    kept = ordered if shown is None else ordered[:shown]
    tiers = tuple(TierSection(tier, tuple(r for r in kept if r.tier is tier), sum(1 for r in ordered if r.tier is tier))
                  for tier in URGENT if any(r.tier is tier for r in ordered))
    groups: dict[tuple, list[OutreachRow]] = {}
    for row in kept:
        if row.tier not in URGENT:
            groups.setdefault((row.hearing_date, row.court, _room(row)), []).append(row)
    arranged = tuple(HearingGroup(day, court, room, tuple(found)) for (day, court, room), found in groups.items())
    cut_in = ordered[len(kept)].tier if len(kept) < len(ordered) else None
    return Layout(tiers, arranged, len(ordered) - len(kept), cut_in)


def cut_banner(arranged: Layout, count: int) -> str:
    """What the budget left out, said at the top: all of it is in the attachments, in this order."""
    if not arranged.left_out:
        return ""
    if arranged.cut_in in URGENT:
        section = next(s for s in arranged.tiers if s.tier is arranged.cut_in)
        what = tier_count(section.tier, section.total)
        lead = (f"The {what} alone are more than one e-mail can hold" if arranged.cut_alone
                else "Not every case that cannot wait fits in this e-mail")
        return (f"{lead}: it shows the first {len(section.rows)} of them. The other {arranged.left_out} of the "
                f"{count} cases are only in the attachments, in the same order.")
    return (f"This e-mail shows the {count - arranged.left_out} most urgent of {count} cases. {arranged.left_out} "
            f"more {'is' if arranged.left_out == 1 else 'are'} only in the attachments.")


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
