"""Partners' watch lists: importing one, matching it against the store, the digest of what is
new, and the watched case numbers each court's scrape opens by number.

Names from a list are never logged and never stored as written (see pipeline.store.watch):
what is kept and logged is the partner's row ids, case numbers and counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evictwatch.config import AppConfig, ConfigError, PartnerConfig
from pipeline.linkage.matcher import Listed, Matcher, Person, Verdict
from pipeline.linkage.names import NameKey, name_key
from pipeline.linkage.streets import street_key
from pipeline.linkage.watchlist import RowProblem, WatchEntry, WatchList
from pipeline.store.notices import CaseView, cases_by_number, numbered, open_or_changed
from pipeline.store.repo import Store
from pipeline.store.watch import (
    BATCH_ROWS,
    ImportChange,
    MatchRecord,
    NewMatch,
    WatchKeys,
    followed,
)

log = logging.getLogger("evictwatch.jobs.watch")

KIND = "watch_matches"
# A list's rows matched at once (their last names compared together), and the rows left out of
# an import that are listed one by one (the others are counted).
MATCHED_AT_ONCE = 2_000
PROBLEMS_LISTED = 100
# How many of a list's names, drawn over the whole list, estimate the share of its people sued.
CALIBRATION_ROWS = MATCHED_AT_ONCE
# The evidence kept of a match, at most (the column's width: pipeline.store.models.WatchMatch.reasons).
EVIDENCE_CHARS = 600
# A case closed this recently is still matched: a filing dismissed within days is news too.
CHANGED_DAYS = 14


@dataclass
class MatchCounts:
    confident: int = 0
    review: int = 0
    by_number: int = 0

    @property
    def total(self) -> int:
        return self.confident + self.review + self.by_number


@dataclass
class ImportResult:
    rows: int
    problems: list[RowProblem]  # the first PROBLEMS_LISTED rows left out, in the file's order
    change: ImportChange | None  # None: no row could be read, and the list stayed as it was
    people: int
    numbers: int
    matched: MatchCounts
    numbers_not_stored: int
    own_ids: bool = True  # False: the file had no id column, its rows are known by their row numbers
    left_out: int = 0  # every row left out (problems lists the first ones)


@dataclass
class _Reading:
    """What an import has read of its file so far: counts, and the first rows left out."""

    rows: int = 0
    people: int = 0
    numbers: set[str] = field(default_factory=set)
    problems: list[RowProblem] = field(default_factory=list)
    left_out: int = 0

    def leave_out(self, problem: RowProblem) -> None:
        self.left_out += 1
        if len(self.problems) < PROBLEMS_LISTED:
            self.problems.append(problem)


def watching_partner(config: AppConfig, name: str) -> PartnerConfig:
    partner = next((p for p in config.partners if p.name == name), None)
    if partner is None:
        raise KeyError(f"no partner named {name!r} in the configuration (partners[].name)")
    if partner.watch is None:
        raise ConfigError(f"partner {name!r} has no `watch:` entry in the configuration (partners[].watch); "
                          "add `watch: {}` to keep a watch list with the default thresholds")
    return partner


def import_watch_list(config: AppConfig, store: Store, partner_name: str, path: Path, *,
                      now: dt.datetime | None = None, batch_size: int = BATCH_ROWS) -> ImportResult:
    """The file replaces the partner's list, and is matched at once against the store. It is
    read and written a batch at a time; a file with no readable row leaves the list as it was."""
    now = now or dt.datetime.now(dt.timezone.utc)
    partner = watching_partner(config, partner_name)
    courts = _courts_of(config, partner)
    reading = _Reading()
    with WatchList(path) as listed:
        change = store.watch.replace(partner.name, _watch_keys(listed, courts, reading), now=now,
                                                  batch_size=batch_size)
    if change is None:
        log.info("watch list left as it was: no readable row", extra={"partner": partner.name,
                                                                       "problems": reading.left_out})
        return ImportResult(0, reading.problems, None, 0, 0, MatchCounts(), 0, listed.own_ids, reading.left_out)
    matched = match_partner(config, store, partner, now=now)
    stored = {c.case_number for c in numbered(store, reading.numbers)}
    log.info("watch list imported", extra={"partner": partner.name, "rows": reading.rows,
                                           "problems": reading.left_out, "matches": matched.total})
    return ImportResult(reading.rows, reading.problems, change, reading.people, len(reading.numbers), matched,
                        len(reading.numbers - stored), listed.own_ids, reading.left_out)


def _watch_keys(listed: WatchList, courts: dict[str, object], reading: _Reading) -> Iterator[WatchKeys]:
    """The list's rows as the keys kept of them, as they are read; the others counted in `reading`."""
    for item in listed:
        if isinstance(item, RowProblem):
            reading.leave_out(item)
            continue
        problem = _number_problem(item, courts)
        if problem is not None:
            reading.leave_out(problem)
            continue
        key = item.key
        reading.rows += 1
        reading.people += bool(key and key.last)
        if item.case_number:
            reading.numbers.add(item.case_number)
        yield WatchKeys(item.row_id, key.last if key else None, key.first if key else None,
                        key.middle if key else None, key.nickname if key else False, item.zip5,
                        item.case_number, item.court, item.street)


def _courts_of(config: AppConfig, partner: PartnerConfig) -> dict[str, object]:
    """The partner's courts (its court filter, else every court), with their court systems."""
    chosen = set(partner.filters.courts)
    return {c.id: c.court.adapter for c in config.courts if not chosen or c.id in chosen}


def _number_problem(entry: WatchEntry, courts: dict[str, object]) -> RowProblem | None:
    if entry.court and entry.court not in courts:
        return RowProblem(entry.row, "court", f"{entry.court!r} is not one of this partner's courts "
                                              f"({', '.join(courts)}): use the court's id in the configuration")
    if entry.case_number:
        where = [entry.court] if entry.court else list(courts)
        if not any(courts[c].is_case_number(entry.case_number) for c in where):
            return RowProblem(entry.row, "case number", f"{entry.case_number!r} is not a case number of "
                                                        f"{', '.join(where)}")
    return None


def _people(cases: Iterable[CaseView]) -> list[Person]:
    people = []
    for case in cases:
        for party in case.defendants:
            if party.kind not in (None, "person"):
                continue  # a company, "all other occupants"
            key = name_key(party.name)
            if key is not None:
                people.append(Person((case.court, case.case_number), case.household or f"{case.court}|{case.case_number}",
                                     key, party.zip5, street_key(party.street)))
    return people


def match_partner(config: AppConfig, store: Store, partner: PartnerConfig, *,
                  now: dt.datetime | None = None) -> MatchCounts:
    """Match the partner's list against open cases (and those closed lately) of its courts;
    record the pairs not seen before. A pair a person rejected is never proposed again. The
    list is read a batch at a time, last names together (the matcher compares each once)."""
    assert partner.watch is not None
    now = now or dt.datetime.now(dt.timezone.utc)
    watch = store.watch
    courts = set(partner.filters.courts)
    matcher: Matcher | None = None
    opted_out: set[str] = set()
    counts, new = MatchCounts(), 0
    for entries in watch.entry_batches(partner.name, MATCHED_AT_ONCE, by_name=True):
        if matcher is None:  # a partner without a list costs no read of the cases
            opted_out = store.ledger.opted_out_households()
            cases = (c for c in open_or_changed(store, now - dt.timedelta(days=CHANGED_DAYS))
                     if (not courts or c.court in courts) and c.household not in opted_out)
            matcher = Matcher(_people(cases), confident=partner.watch.confident, review=partner.watch.review,
                              listed=watch.name_counts(partner.name))
            sample = watch.sample(partner.name, CALIBRATION_ROWS)
            matcher.calibrate([Listed(_key(e), e.zip5, e.street) for e in sample])
        found = _by_number(store, entries, courts, opted_out, now)
        named = [e for e in entries if e.last]
        proposed = matcher.propose_all([Listed(_key(e), e.zip5, e.street) for e in named])
        for entry, proposals in zip(named, proposed):
            for p in proposals:
                court, number = p.ref
                found.append(NewMatch(entry.row_id, court, number, "name_zip" if p.same_zip else "name",
                                      p.verdict.value, p.score, "; ".join(p.evidence)[:EVIDENCE_CHARS] or None))
        # As the pairs found now stand, answers included: a pair found by number and by name once.
        recorded = watch.record_matches(partner.name, found, now=now)
        new += recorded.new
        for (matched_by, as_verdict, decision), n in recorded.standing.items():
            if decision == "no":
                continue
            if matched_by == "case_number":
                counts.by_number += n
            elif followed(as_verdict, decision):
                counts.confident += n
            else:
                counts.review += n
    if matcher is not None:
        log.info("watch list matched", extra={"partner": partner.name, "matches": counts.total, "new": new})
    return counts


def _key(entry: WatchKeys) -> NameKey:
    """The list's name as stored: a nickname was kept as the name it is short for."""
    first = entry.first or ""
    return NameKey(entry.last or "", first, entry.middle, entry.nickname, "" if entry.nickname else first)


def _by_number(store: Store, entries: list[WatchKeys], courts: set[str], opted_out: set[str],
               now: dt.datetime) -> list[NewMatch]:
    """Case numbers, exactly. A Virginia number is only unique within its court: one found in
    several of the partner's courts (and its list names none) is for a person to tell apart."""
    wanted = {e.case_number for e in entries if e.case_number}
    cases: dict[str, list[CaseView]] = {}
    for case in numbered(store, wanted, changed_since=now - dt.timedelta(days=CHANGED_DAYS)):
        if (not courts or case.court in courts) and case.household not in opted_out:
            cases.setdefault(case.case_number, []).append(case)
    found = []
    for entry in entries:
        if not entry.case_number:
            continue
        hits = [c for c in cases.get(entry.case_number, ()) if entry.court in (None, c.court)]
        for case in hits:
            sure = len(hits) == 1
            found.append(NewMatch(entry.row_id, case.court, case.case_number, "case_number",
                                  (Verdict.CONFIDENT if sure else Verdict.REVIEW).value, 100.0,
                                  None if sure else f"the same number in {len(hits)} courts"))
    return found


def match_all(config: AppConfig, store: Store, *, now: dt.datetime | None = None) -> dict[str, MatchCounts]:
    """Each watching partner's list against the store. One partner's failure does not stop the
    others'; the first is raised after them, so the run's step fails and says so."""
    results, failures = {}, []
    for partner in config.partners:
        if partner.watch is None:
            continue
        try:
            results[partner.name] = match_partner(config, store, partner, now=now)
        except Exception as exc:  # noqa: BLE001 - one partner's list must not stop the others'
            # The class only: the run's step records the error's text, made safe (jobs.cycle).
            log.error("watch matching failed", extra={"partner": partner.name, "error": type(exc).__name__})
            failures.append(exc)
    if failures:
        raise failures[0]
    return results


def watched_numbers(config: AppConfig, store: Store, court_id: str, fits=lambda number: True,
                    now: dt.datetime | None = None) -> set[str]:
    """The case numbers this court's scrape opens by number for the partners that watch them:
    those that fit its portal, of partners covering the court, where the list names this court
    or none. A number stored in this court is opened while its case is open (the plan's rule);
    one not stored yet only for `watch.lookup_days` after it was put on the list (a tenant
    knows the number of a case already filed: one never found is mistyped), and not at all once
    it is found in another of the partner's courts."""
    now = now or dt.datetime.now(dt.timezone.utc)
    watch = store.watch
    numbers = watch.numbers()
    held = watch.courts_holding(n.case_number for n in numbers)
    found: set[str] = set()
    for partner in config.partners:
        if partner.watch is None or (partner.filters.courts and court_id not in partner.filters.courts):
            continue
        for n in numbers:
            if n.partner != partner.name or n.court not in (None, court_id) or not fits(n.case_number):
                continue
            where = held.get(n.case_number, set())
            if court_id in where:
                found.add(n.case_number)
            elif not (where & set(partner.filters.courts or (c.id for c in config.courts))) and \
                    now - n.imported_at <= dt.timedelta(days=partner.watch.lookup_days):
                found.add(n.case_number)
    return found


def pending_reviews(store: Store, partner: str | None = None) -> list[tuple[MatchRecord, CaseView | None]]:
    """Matches a person has to look at, with the case as stored."""
    pending = store.watch.matches(partner, pending=True)
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store, [(m.court, m.case_number) for m in pending])}
    return [(m, cases.get((m.court, m.case_number))) for m in pending]
