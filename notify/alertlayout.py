"""How the urgent-alert digest is laid out: by tier (notify.urgency), the executed writs last for
the record, and as many alerts as fit the message from the top: the budget never drops an
alert while one of a lower tier is shown, and the intro counts what the body shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from notify.rows import AlertItem
from notify.urgency import Tier

SECTION_TITLES = {
    Tier.HEARING_SOON: ("hearing next court day without a lawyer", "hearings next court day without a lawyer"),
    Tier.DEFAULT_JUDGMENT: ("default judgment entered", "default judgments entered"),
    Tier.WRIT_ISSUED: ("writ of possession issued", "writs of possession issued"),
    Tier.OTHER: ("other alert", "other alerts"),
    Tier.FOR_THE_RECORD: ("writ executed, for the record", "writs executed, for the record"),
}


@dataclass(frozen=True)
class AlertSection:
    tier: Tier
    items: tuple[AlertItem, ...]  # shown in the body
    total: int                    # in the digest

    @property
    def title(self) -> str:
        one, many = SECTION_TITLES[self.tier]
        return (many if self.total != 1 else one).capitalize()

    def counted(self) -> str:
        """"3 of 12 default judgments entered" (or "12 ..." when all are shown)."""
        one, many = SECTION_TITLES[self.tier]
        shown = len(self.items)
        if shown < self.total:
            return f"{shown} of {self.total} {many}"
        return f"{self.total} {one if self.total == 1 else many}"


def in_tier_order(items: Sequence[AlertItem]) -> list[AlertItem]:
    """By tier; within one, as given (by day, then as a courthouse volunteer walks the hearings)."""
    return sorted(items, key=lambda item: item.tier)


def sections(ordered: Sequence[AlertItem], shown: int) -> list[AlertSection]:
    kept = ordered[:shown]
    tiers = sorted({item.tier for item in ordered})
    return [AlertSection(tier, tuple(i for i in kept if i.tier is tier), sum(1 for i in ordered if i.tier is tier))
            for tier in tiers]


def summary(found: Sequence[AlertSection]) -> str:
    """What the body holds, tier by tier, as it shows it, and what only the attachments hold."""
    shown = "; ".join(s.counted() for s in found if s.items)
    elsewhere = ", ".join(f"{s.total} {SECTION_TITLES[s.tier][s.total != 1]}" for s in found if not s.items)
    return "; ".join(p for p in (shown, f"only in the attachments: {elsewhere}" if elsewhere else "") if p)


def cut_banner(found: Sequence[AlertSection], count: int) -> str:
    """Said at the top when the budget left alerts out (all of them are in the attachments)."""
    shown = sum(len(s.items) for s in found)
    if shown == count:
        return ""
    cut = next(s for s in found if len(s.items) < s.total)
    rest = count - shown
    if not any(s.items for s in found if s.tier < cut.tier):
        _, many = SECTION_TITLES[cut.tier]
        return (f"The {cut.total} {many} alone are more than one e-mail can hold: it shows the first "
                f"{len(cut.items)}. The other {rest} of the {count} alerts are only in the attachments, in the "
                "same order.")
    return (f"This e-mail shows the {shown} most urgent of {count} alerts. {rest} more "
            f"{'is' if rest == 1 else 'are'} only in the attachments, in the same order.")
