"""Partners' watch lists and the matches found with them, as stored rows.

A row is kept as match keys only (never a name as the partner wrote it) with the partner's own
row id. A partner's rows and matches go together: `clear`, or retention once the partner has
no `watch:` entry in the configuration any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass

from sqlalchemy import Engine, and_, delete, exists, select
from sqlmodel import Session

from pipeline.store.models import Case, WatchEntry, WatchMatch
from pipeline.store.rows import utc_now


@dataclass(frozen=True, slots=True)
class WatchKeys:
    """What is kept of one watch-list row."""

    row_id: str
    last: str | None = None
    first: str | None = None
    middle: str | None = None
    nickname: bool = False
    zip5: str | None = None
    case_number: str | None = None


@dataclass(frozen=True, slots=True)
class NewMatch:
    row_id: str
    court: str
    case_number: str
    matched_by: str  # case_number | name_zip | name
    verdict: str     # confident | to review
    score: float
    reasons: str | None = None


@dataclass(frozen=True, slots=True)
class MatchRecord:
    id: int
    partner: str
    row_id: str
    court: str
    case_number: str
    matched_by: str
    verdict: str
    score: float
    reasons: str | None
    decision: str | None  # yes | no | None (nobody looked yet)
    found_at: dt.datetime

    @property
    def pending(self) -> bool:
        return self.verdict == "to review" and self.decision is None

    @property
    def followed(self) -> bool:
        """The case is this row's: confident, or said so by a person."""
        return self.decision == "yes" or (self.verdict == "confident" and self.decision is None)


@dataclass(frozen=True)
class ImportChange:
    added: int
    changed: int
    removed: int
    unchanged: int


def _keys(row: WatchEntry) -> WatchKeys:
    return WatchKeys(row.row_id, row.last_key, row.first_key, row.middle_initial, row.nickname, row.zip5,
                     row.case_number)


def _match(row: WatchMatch) -> MatchRecord:
    return MatchRecord(row.id, row.partner, row.row_id, row.court_id, row.case_number, row.matched_by, row.verdict,
                       row.score, row.reasons, row.decision, row.found_at)


class WatchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, partner: str, rows: Sequence[WatchKeys], *, now: dt.datetime | None = None) -> ImportChange:
        """The partner's list becomes `rows`. A row kept as it was keeps its matches and the
        decisions on them; a row changed or gone loses them (they were about other keys)."""
        now = now or utc_now()
        wanted = {r.row_id: r for r in rows}
        with Session(self.engine) as session:
            stored = {e.row_id: e for e in session.execute(select(WatchEntry).where(WatchEntry.partner == partner))
                      .scalars()}
            stale = [row_id for row_id, e in stored.items() if row_id not in wanted or _keys(e) != wanted[row_id]]
            changed = sum(1 for row_id in stale if row_id in wanted)
            for row_id in stale:
                session.delete(stored.pop(row_id))
            if stale:
                session.execute(delete(WatchMatch).where(WatchMatch.partner == partner, WatchMatch.row_id.in_(stale)))
            session.flush()
            added = 0
            for row_id, keys in wanted.items():
                if row_id in stored:
                    continue
                added += row_id not in stale
                _, last, first, middle, nickname, zip5, number = astuple(keys)
                session.add(WatchEntry(partner=partner, row_id=row_id, last_key=last, first_key=first,
                                       middle_initial=middle, nickname=nickname, zip5=zip5, case_number=number,
                                       imported_at=now))
            session.commit()
        return ImportChange(added, changed, len(stale) - changed, len(stored))

    def entries(self, partner: str) -> list[WatchKeys]:
        with Session(self.engine) as session:
            query = select(WatchEntry).where(WatchEntry.partner == partner).order_by(WatchEntry.id)
            return [_keys(e) for e in session.execute(query).scalars()]

    def partners(self) -> list[str]:
        """Partners with a watch list stored."""
        with Session(self.engine) as session:
            return sorted(session.execute(select(WatchEntry.partner).distinct()).scalars())

    def watched_numbers(self) -> dict[str, set[str]]:
        """Per partner, the case numbers on its list."""
        found: dict[str, set[str]] = {}
        with Session(self.engine) as session:
            query = select(WatchEntry.partner, WatchEntry.case_number).where(WatchEntry.case_number.is_not(None))
            for partner, number in session.execute(query):
                found.setdefault(partner, set()).add(number)
        return found

    def add_matches(self, partner: str, found: Iterable[NewMatch], *, now: dt.datetime | None = None) -> int:
        """Record the pairs not seen before (a rejected pair is there already: never again)."""
        now = now or utc_now()
        with Session(self.engine) as session:
            known = set(session.execute(select(WatchMatch.row_id, WatchMatch.court_id, WatchMatch.case_number)
                                        .where(WatchMatch.partner == partner)).all())
            new = 0
            for m in found:
                if (m.row_id, m.court, m.case_number) in known:
                    continue
                known.add((m.row_id, m.court, m.case_number))
                session.add(WatchMatch(partner=partner, row_id=m.row_id, court_id=m.court, case_number=m.case_number,
                                       matched_by=m.matched_by, verdict=m.verdict, score=round(m.score, 1),
                                       reasons=m.reasons, found_at=now))
                new += 1
            session.commit()
            return new

    def matches(self, partner: str | None = None, *, pending: bool = False) -> list[MatchRecord]:
        with Session(self.engine) as session:
            query = select(WatchMatch).order_by(WatchMatch.partner, WatchMatch.id)
            if partner is not None:
                query = query.where(WatchMatch.partner == partner)
            if pending:
                query = query.where(WatchMatch.verdict == "to review", WatchMatch.decision.is_(None))
            return [_match(m) for m in session.execute(query).scalars()]

    def decide(self, match_id: int, yes: bool, *, now: dt.datetime | None = None) -> MatchRecord | None:
        """A person's answer to "is this the partner's person?" (changing an earlier answer is allowed)."""
        with Session(self.engine) as session:
            row = session.get(WatchMatch, match_id)
            if row is None:
                return None
            row.decision, row.decided_at = ("yes" if yes else "no"), now or utc_now()
            session.add(row)
            session.commit()
            return _match(row)

    def clear(self, partner: str) -> tuple[int, int]:
        """Everything kept of the partner's list: (rows, matches) removed."""
        with Session(self.engine) as session:
            matches = session.execute(delete(WatchMatch).where(WatchMatch.partner == partner)).rowcount
            entries = session.execute(delete(WatchEntry).where(WatchEntry.partner == partner)).rowcount
            session.commit()
            return entries, matches

    def purge(self, keep: Iterable[str]) -> dict[str, int]:
        """Retention: the lists of partners no longer watching (not in `keep`), and matches with
        cases whose tenants' data is gone. Returns what was removed, by table."""
        keep = sorted(set(keep))
        with Session(self.engine) as session:
            entries = session.execute(delete(WatchEntry).where(WatchEntry.partner.not_in(keep))).rowcount
            matches = session.execute(delete(WatchMatch).where(WatchMatch.partner.not_in(keep))).rowcount
            case = and_(Case.court_id == WatchMatch.court_id, Case.case_number == WatchMatch.case_number)
            gone = ~exists().where(case, Case.purged_at.is_(None))
            matches += session.execute(delete(WatchMatch).where(gone).execution_options(
                synchronize_session=False)).rowcount
            session.commit()
        return {"watch_entries": entries, "watch_matches": matches}

    def summary(self) -> dict[str, dict[str, int]]:
        """Per partner: rows, case numbers, and matches by where they stand (counts only)."""
        found: dict[str, dict[str, int]] = {}
        with Session(self.engine) as session:
            for partner, number in session.execute(select(WatchEntry.partner, WatchEntry.case_number)):
                counts = found.setdefault(partner, dict.fromkeys(("rows", "case_numbers", "followed", "to_review",
                                                                  "rejected"), 0))
                counts["rows"] += 1
                counts["case_numbers"] += number is not None
            for row in session.execute(select(WatchMatch)).scalars():
                match = _match(row)
                counts = found.setdefault(match.partner, dict.fromkeys(("rows", "case_numbers", "followed",
                                                                        "to_review", "rejected"), 0))
                counts["followed" if match.followed else "to_review" if match.pending else "rejected"] += 1
        return found
