"""Partners' watch lists: importing one, matching it against the store, the digest of what is
new, and the watched case numbers each court's scrape opens by number.

Names from a list are never logged and never stored as written (see pipeline.store.watch):
what is kept and logged is the partner's row ids, case numbers and counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from evictwatch.config import AppConfig, ConfigError, PartnerConfig
from notify.watchlist import RowProblem, WatchEntry, read_watch_list
from notify.watchmatch import Matcher, NameKey, Person, Verdict, name_key
from pipeline.store.ledger import Ledger
from pipeline.store.notices import CaseView, cases_by_number, numbered, open_or_changed
from pipeline.store.repo import Store
from pipeline.store.watch import ImportChange, MatchRecord, NewMatch, WatchKeys, WatchStore

log = logging.getLogger("evictwatch.jobs.watch")

KIND = "watch_matches"
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
    problems: list[RowProblem]
    change: ImportChange
    people: int
    numbers: int
    matched: MatchCounts
    numbers_not_stored: int
    own_ids: bool = True  # False: the file had no id column, its rows are known by their row numbers


def watching_partner(config: AppConfig, name: str) -> PartnerConfig:
    partner = next((p for p in config.partners if p.name == name), None)
    if partner is None:
        raise KeyError(f"no partner named {name!r} in the configuration (partners[].name)")
    if partner.watch is None:
        raise ConfigError(f"partner {name!r} has no `watch:` entry in the configuration (partners[].watch); "
                          "add `watch: {}` to keep a watch list with the default thresholds")
    return partner


def import_watch_list(config: AppConfig, store: Store, partner_name: str, path: Path, *,
                      now: dt.datetime | None = None) -> ImportResult:
    """The file replaces the partner's list, and is matched at once against the store."""
    now = now or dt.datetime.now(dt.timezone.utc)
    partner = watching_partner(config, partner_name)
    entries, problems = read_watch_list(path)
    courts = _courts_of(config, partner)
    keys = []
    for entry in entries:
        problem = _number_problem(entry, courts)
        if problem is not None:
            problems.append(problem)
            continue
        key = name_key(entry.name) if entry.name else None
        keys.append(WatchKeys(entry.row_id, key.last if key else None, key.first if key else None,
                              key.middle if key else None, key.nickname if key else False, entry.zip5,
                              entry.case_number, entry.court))
    problems.sort(key=lambda p: p.row)
    change = WatchStore(store.engine).replace(partner.name, keys, now=now)
    matched = match_partner(config, store, partner, now=now)
    numbers = {k.case_number for k in keys if k.case_number}
    stored = {c.case_number for c in numbered(store.engine, numbers)}
    log.info("watch list imported", extra={"partner": partner.name, "rows": len(keys), "problems": len(problems),
                                           "matches": matched.total})
    return ImportResult(len(keys), problems, change, sum(1 for k in keys if k.last), len(numbers), matched,
                        len(numbers - stored), own_ids=all(e.own_id for e in entries))


def _courts_of(config: AppConfig, partner: PartnerConfig) -> dict[str, object]:
    """The partner's courts (its court filter, else every court), with their court systems."""
    from scraper.courts import get_source

    chosen = set(partner.filters.courts)
    return {c.id: get_source(c.source) for c in config.courts if not chosen or c.id in chosen}


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


def _people(cases: list[CaseView]) -> list[Person]:
    people = []
    for case in cases:
        for party in case.defendants:
            if party.kind not in (None, "person"):
                continue  # a company, "all other occupants"
            key = name_key(party.name)
            if key is not None:
                people.append(Person((case.court, case.case_number), case.household or f"{case.court}|{case.case_number}",
                                     key, party.zip5))
    return people


def match_partner(config: AppConfig, store: Store, partner: PartnerConfig, *,
                  now: dt.datetime | None = None) -> MatchCounts:
    """Match the partner's list against open cases (and those closed lately) of its courts;
    record the pairs not seen before. A pair a person rejected is never proposed again."""
    assert partner.watch is not None
    now = now or dt.datetime.now(dt.timezone.utc)
    watch = WatchStore(store.engine)
    entries = watch.entries(partner.name)
    if not entries:
        return MatchCounts()
    courts = set(partner.filters.courts)
    opted_out = Ledger(store.engine).opted_out_households()
    cases = [c for c in open_or_changed(store.engine, now - dt.timedelta(days=CHANGED_DAYS))
             if (not courts or c.court in courts) and c.household not in opted_out]
    found = _by_number(store, entries, courts, opted_out, now)
    matcher = Matcher(_people(cases), auto=partner.watch.auto_match, review=partner.watch.review)
    for entry in entries:
        if entry.last:
            key = NameKey(entry.last, entry.first or "", entry.middle, entry.nickname)
            for p in matcher.propose(key, entry.zip5):
                court, number = p.ref
                found.append(NewMatch(entry.row_id, court, number, "name_zip" if p.same_zip else "name",
                                      p.verdict.value, p.score, "; ".join(p.reasons) or None))
    new = watch.add_matches(partner.name, found, now=now)
    # As the pairs found now stand, answers included: a pair found by number and by name once.
    stored = {(m.row_id, m.court, m.case_number): m for m in watch.matches(partner.name)}
    counts = MatchCounts()
    for pair in {(m.row_id, m.court, m.case_number) for m in found}:
        record = stored[pair]
        if record.decision == "no":
            continue
        if record.matched_by == "case_number":
            counts.by_number += 1
        elif record.followed:
            counts.confident += 1
        else:
            counts.review += 1
    log.info("watch list matched", extra={"partner": partner.name, "matches": counts.total, "new": new})
    return counts


def _by_number(store: Store, entries: list[WatchKeys], courts: set[str], opted_out: set[str],
               now: dt.datetime) -> list[NewMatch]:
    """Case numbers, exactly. A Virginia number is only unique within its court: one found in
    several of the partner's courts (and its list names none) is for a person to tell apart."""
    wanted = {e.case_number for e in entries if e.case_number}
    cases: dict[str, list[CaseView]] = {}
    for case in numbered(store.engine, wanted, changed_since=now - dt.timedelta(days=CHANGED_DAYS)):
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
    watch = WatchStore(store.engine)
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
    pending = WatchStore(store.engine).matches(partner, pending=True)
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store.engine, [(m.court, m.case_number) for m in pending])}
    return [(m, cases.get((m.court, m.case_number))) for m in pending]
