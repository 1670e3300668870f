"""What changed between two sightings of a case: the rows of its history, each written once."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.records import CaseRecord, Hearing, Judgment

_JUDGMENT_FIELDS = tuple(Judgment.model_fields)


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # first_seen | hearing_added | hearing_removed | hearing_result | hearing_changed | judgment | appeal | party_added | party_removed | status
    field: str | None
    old: str | None
    new: str | None


def changes(old: CaseRecord | None, new: CaseRecord, old_status: str | None, new_status: str) -> list[Change]:
    if old is None:
        return [Change("first_seen", "status", None, new_status)]
    found: list[Change] = []
    found += _hearing_changes(old.hearings, new.hearings)
    found += _judgment_changes(old.judgment, new.judgment)
    old_appeal = old.appeal.model_dump(mode="json") if old.appeal else {}
    new_appeal = new.appeal.model_dump(mode="json") if new.appeal else {}
    for name in sorted(set(old_appeal) | set(new_appeal)):
        if old_appeal.get(name) != new_appeal.get(name):
            found.append(Change("appeal", name, _text(old_appeal.get(name)), _text(new_appeal.get(name))))
    for role, before, after in (("plaintiff", old.plaintiffs, new.plaintiffs),
                                ("defendant", old.defendants, new.defendants)):
        names_before, names_after = [p.name for p in before], [p.name for p in after]
        found += [Change("party_added", role, None, n) for n in names_after if n not in names_before]
        found += [Change("party_removed", role, n, None) for n in names_before if n not in names_after]
    if old_status != new_status:
        found.append(Change("status", "status", old_status, new_status))
    return found


def _key(h: Hearing) -> str:
    return f"{h.date.isoformat()} {h.time.strftime('%H:%M') if h.time else '--:--'}"


def _hearing_changes(before: tuple[Hearing, ...], after: tuple[Hearing, ...]) -> list[Change]:
    old = {_key(h): h for h in before}
    new = {_key(h): h for h in after}
    found: list[Change] = []
    for key in sorted(new.keys() - old.keys()):
        found.append(Change("hearing_added", key, None, _describe(new[key])))
    for key in sorted(old.keys() - new.keys()):
        found.append(Change("hearing_removed", key, _describe(old[key]), None))
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        if a.result != b.result:
            found.append(Change("hearing_result", key, a.result, b.result))
        if (a.type, a.courtroom) != (b.type, b.courtroom):
            found.append(Change("hearing_changed", key, _describe(a), _describe(b)))
    return found


def _judgment_changes(before: Judgment | None, after: Judgment | None) -> list[Change]:
    old = before.model_dump(mode="json") if before else {}
    new = after.model_dump(mode="json") if after else {}
    return [Change("judgment", name, _text(old.get(name)), _text(new.get(name)))
            for name in _JUDGMENT_FIELDS if old.get(name) != new.get(name)]


def _describe(h: Hearing) -> str:
    return " ".join(x for x in (h.type, h.courtroom, h.result) if x) or "hearing"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
