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
    court: str | None = None  # the case number's court, when the list names it

    @property
    def person(self) -> tuple[str | None, str | None, str | None] | None:
        return (self.last, self.first, self.middle) if self.last else None


@dataclass(frozen=True, slots=True)
class WatchedNumber:
    partner: str
    row_id: str
    case_number: str
    court: str | None
    imported_at: dt.datetime


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
                     row.case_number, row.court_id)


def _match(row: WatchMatch) -> MatchRecord:
    return MatchRecord(row.id, row.partner, row.row_id, row.court_id, row.case_number, row.matched_by, row.verdict,
                       row.score, row.reasons, row.decision, row.found_at)


class WatchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, partner: str, rows: Sequence[WatchKeys], *, now: dt.datetime | None = None) -> ImportChange:
        """The partner's list becomes `rows`. A row kept as it was keeps its matches and the
        answers given on them. A row changed or gone loses its matches, except the rejections:
        a "no" stays with every row of the same name (or, for a row of a case number only, the
        same number), whatever its id or ZIP code now, so it is never proposed again."""
        now = now or utc_now()
        wanted = {r.row_id: r for r in rows}
        with Session(self.engine) as session:
            stored = {e.row_id: e for e in session.execute(select(WatchEntry).where(WatchEntry.partner == partner))
                      .scalars()}
            stale = [row_id for row_id, e in stored.items() if row_id not in wanted or _keys(e) != wanted[row_id]]
            changed = sum(1 for row_id in stale if row_id in wanted)
            rejected = []
            if stale:
                old = {row_id: _keys(stored[row_id]) for row_id in stale}
                for m in session.execute(select(WatchMatch).where(WatchMatch.partner == partner,
                                                                  WatchMatch.row_id.in_(stale))).scalars():
                    if m.decision == "no":
                        keys = old[m.row_id]
                        rejected.append((keys.person or keys.case_number, _match(m), m.decided_at))
                session.execute(delete(WatchMatch).where(WatchMatch.partner == partner, WatchMatch.row_id.in_(stale)))
            for row_id in stale:
                session.delete(stored.pop(row_id))
            session.flush()
            added = 0
            for row_id, keys in wanted.items():
                if row_id in stored:
                    continue
                added += row_id not in stale
                _, last, first, middle, nickname, zip5, number, court = astuple(keys)
                session.add(WatchEntry(partner=partner, row_id=row_id, last_key=last, first_key=first,
                                       middle_initial=middle, nickname=nickname, zip5=zip5, case_number=number,
                                       court_id=court, imported_at=now))
            kept = {(m.row_id, m.court_id, m.case_number) for m in session.execute(
                select(WatchMatch).where(WatchMatch.partner == partner)).scalars()}
            for who, m, decided_at in rejected:
                for keys in wanted.values():
                    pair = (keys.row_id, m.court, m.case_number)
                    if (keys.person or keys.case_number) == who and pair not in kept:
                        kept.add(pair)
                        session.add(WatchMatch(partner=partner, row_id=keys.row_id, court_id=m.court,
                                               case_number=m.case_number, matched_by=m.matched_by, verdict=m.verdict,
                                               score=m.score, reasons=m.reasons, decision="no", found_at=m.found_at,
                                               decided_at=decided_at))
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

    def numbers(self) -> list[WatchedNumber]:
        """Every case number on a list, with where its list says it is and since when it is watched."""
        with Session(self.engine) as session:
            query = (select(WatchEntry).where(WatchEntry.case_number.is_not(None))
                     .order_by(WatchEntry.partner, WatchEntry.id))
            return [WatchedNumber(e.partner, e.row_id, e.case_number, e.court_id, e.imported_at)
                    for e in session.execute(query).scalars()]

    def courts_holding(self, numbers: Iterable[str]) -> dict[str, set[str]]:
        """Per case number, the courts whose stored cases carry it (Virginia numbers are per court)."""
        wanted = sorted(set(numbers))
        found: dict[str, set[str]] = {}
        with Session(self.engine) as session:
            for start in range(0, len(wanted), 500):
                query = select(Case.case_number, Case.court_id).where(Case.case_number.in_(wanted[start:start + 500]))
                for number, court in session.execute(query):
                    found.setdefault(number, set()).add(court)
        return found

    def add_matches(self, partner: str, found: Iterable[NewMatch], *, now: dt.datetime | None = None) -> int:
        """Record the pairs not seen before; a pair nobody answered yet that is now found surer
        (to review -> confident: a case number, the namesake's case closed) is raised. A pair
        answered stays as answered: a rejected pair is never proposed again. Returns how many
        pairs are new or raised."""
        now = now or utc_now()
        with Session(self.engine) as session:
            known = {(m.row_id, m.court_id, m.case_number): m for m in session.execute(
                select(WatchMatch).where(WatchMatch.partner == partner)).scalars()}
            changed = 0
            for m in sorted(found, key=lambda f: f.verdict != "confident"):  # the surest of duplicates first
                row = known.get((m.row_id, m.court, m.case_number))
                if row is None:
                    row = known[(m.row_id, m.court, m.case_number)] = WatchMatch(
                        partner=partner, row_id=m.row_id, court_id=m.court, case_number=m.case_number,
                        matched_by=m.matched_by, verdict=m.verdict, score=round(m.score, 1), reasons=m.reasons,
                        found_at=now)
                elif row.decision is None and row.verdict != "confident" and m.verdict == "confident":
                    row.matched_by, row.verdict, row.score, row.reasons = m.matched_by, m.verdict, round(m.score, 1), None
                else:
                    continue
                session.add(row)
                changed += 1
            session.commit()
            return changed

    def matches(self, partner: str | None = None, *, pending: bool = False) -> list[MatchRecord]:
        with Session(self.engine) as session:
            query = select(WatchMatch).order_by(WatchMatch.partner, WatchMatch.id)
            if partner is not None:
                query = query.where(WatchMatch.partner == partner)
            if pending:
                query = query.where(WatchMatch.verdict == "to review", WatchMatch.decision.is_(None))
            return [_match(m) for m in session.execute(query).scalars()]

    def decide(self, answers: Sequence[tuple[int, bool]], *, partner: str | None = None,
               now: dt.datetime | None = None) -> list[MatchRecord]:
        """A person's answers to "is this the partner's person?", by match id, all or none:
        KeyError names an id that is not a match (of `partner`, if given). An earlier answer
        may be changed."""
        now = now or utc_now()
        with Session(self.engine) as session:
            rows = []
            for match_id, yes in answers:
                row = session.get(WatchMatch, match_id)
                if row is None or (partner is not None and row.partner != partner):
                    raise KeyError(f"no watch-list match with id {match_id}" + (f" for {partner!r}" if partner else ""))
                row.decision, row.decided_at = ("yes" if yes else "no"), now
                rows.append(row)
            session.add_all(rows)
            session.commit()
            return [_match(r) for r in rows]

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
