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
from evictwatch.jobs.mail import channel, court_names, digest_plan, list_message, partners_receiving, portal_of
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.render import render_watch
from notify.watchdigest import WatchFact, WatchItem, case_facts, digest_order, watch_item
from notify.watchlist import RowProblem, read_watch_list
from notify.watchmatch import Matcher, NameKey, Person, Verdict, name_key
from pipeline.store.ledger import AlertFact, Ledger
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
    keys = []
    for entry in entries:
        key = name_key(entry.name) if entry.name else None
        keys.append(WatchKeys(entry.row_id, key.last if key else None, key.first if key else None,
                              key.middle if key else None, key.nickname if key else False, entry.zip5,
                              entry.case_number))
    change = WatchStore(store.engine).replace(partner.name, keys, now=now)
    matched = match_partner(config, store, partner, now=now)
    numbers = {k.case_number for k in keys if k.case_number}
    stored = {c.case_number for c in numbered(store.engine, numbers)}
    log.info("watch list imported", extra={"partner": partner.name, "rows": len(keys), "problems": len(problems),
                                           "matches": matched.total})
    return ImportResult(len(keys), problems, change, sum(1 for k in keys if k.last), len(numbers), matched,
                        len(numbers - stored))


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
    matcher = Matcher(_people(cases), auto=partner.watch.auto_match, review=partner.watch.review)
    found: list[NewMatch] = []
    for entry in entries:
        if entry.last:
            key = NameKey(entry.last, entry.first or "", entry.middle, entry.nickname)
            for p in matcher.propose(key, entry.zip5):
                court, number = p.ref
                found.append(NewMatch(entry.row_id, court, number, "name_zip" if p.same_zip else "name",
                                      p.verdict.value, p.score, "; ".join(p.reasons) or None))
    rows_by_number: dict[str, list[str]] = {}
    for entry in entries:
        if entry.case_number:
            rows_by_number.setdefault(entry.case_number, []).append(entry.row_id)
    for case in numbered(store.engine, rows_by_number):
        if (not courts or case.court in courts) and case.household not in opted_out:
            found += [NewMatch(row, case.court, case.case_number, "case_number", Verdict.CONFIDENT.value, 100.0)
                      for row in rows_by_number[case.case_number]]
    new = watch.add_matches(partner.name, found, now=now)
    counts = MatchCounts()
    for m in found:
        if m.matched_by == "case_number":
            counts.by_number += 1
        elif m.verdict == Verdict.CONFIDENT.value:
            counts.confident += 1
        else:
            counts.review += 1
    log.info("watch list matched", extra={"partner": partner.name, "matches": counts.total, "new": new})
    return counts


def match_all(config: AppConfig, store: Store, *, now: dt.datetime | None = None) -> dict[str, MatchCounts]:
    """Each watching partner's list against the store (one partner's failure is logged, not raised)."""
    results = {}
    for partner in config.partners:
        if partner.watch is None:
            continue
        try:
            results[partner.name] = match_partner(config, store, partner, now=now)
        except Exception as exc:  # noqa: BLE001 - one partner's list must not stop the others'
            log.error("watch matching failed", extra={"partner": partner.name, "error": type(exc).__name__})
    return results


def watched_numbers(config: AppConfig, store: Store, court_id: str, fits=lambda number: True) -> set[str]:
    """The case numbers watching partners that cover this court watch, that fit its portal."""
    numbers = WatchStore(store.engine).watched_numbers()
    found: set[str] = set()
    for partner in config.partners:
        if partner.watch is not None and (not partner.filters.courts or court_id in partner.filters.courts):
            found |= {n for n in numbers.get(partner.name, ()) if fits(n)}
    return found


def _digest_items(store: Store, ledger: Ledger, partner: PartnerConfig, today: dt.date, portal: dict[str, str],
                  *, only: set[str] | None = None) -> list[tuple[WatchItem, list[WatchFact]]]:
    """What this partner was not told yet (or, with `only`: exactly those facts again)."""
    matches = [m for m in WatchStore(store.engine).matches(partner.name) if m.decision != "no"]
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store.engine, [(m.court, m.case_number) for m in matches])}
    told = ledger.alerted_facts(partner.name) if only is None else set()
    opted_out = ledger.opted_out_households()
    items = []
    for m in matches:
        case = cases.get((m.court, m.case_number))
        if case is None or case.household in opted_out:
            continue
        facts = [f for f in case_facts(m, case, today, told) if (f.key in only if only is not None else f.key not in told)]
        if facts:
            items.append((watch_item(m, case, facts, today, portal), facts))
    return sorted(items, key=lambda pair: digest_order(pair[0]))


def _claims(items: list[tuple[WatchItem, list[WatchFact]]]) -> list[AlertFact]:
    return [AlertFact(f.key, item.court, item.case_number, f.kind, f.date) for item, facts in items for f in facts]


def send_watch_digests(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                       dry_run: bool = False, now: dt.datetime | None = None) -> list[DeliveryResult]:
    """One digest per partner and run with whatever is new; each fact told once (as alerts)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = Ledger(store.engine)
    portal = portal_of(config)

    def plan(partner: PartnerConfig) -> Planned:
        def prepare(key: DeliveryKey) -> Content | None:
            items = _digest_items(store, ledger, partner, today, portal)
            if not items:
                return None
            return Content(len(items), _message(config, partner, key, [i for i, _ in items], now),
                           claim=lambda: ledger.claim(key, _claims(items)))
        return digest_plan(ledger, partner.name, KIND, today, prepare)

    return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)], ledger=ledger,
                       channel=channel(config, dry_run))


def resend_watch_digest(config: AppConfig, store: Store, key_text: str, *, today: dt.date,
                        now: dt.datetime | None = None) -> DeliveryResult:
    """A held digest again, by its key, with the facts it carried (after a person checked)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = Ledger(store.engine)
    record = ledger.get(key_text)
    if record is None or record.kind != KIND:
        raise KeyError(f"no watch-list digest {key_text!r} in the delivery log")
    key = DeliveryKey(record.partner, record.kind, record.period)
    partner = watching_partner(config, key.partner)
    claimed = {f.key for f in ledger.claimed_facts(key)}
    items = [i for i, _ in _digest_items(store, ledger, partner, today, portal_of(config), only=claimed)]
    if not items:
        raise KeyError(f"watch-list digest {key_text!r}: none of its cases is stored any more")
    planned = Planned(key, lambda: Content(len(items), _message(config, partner, key, items, now)))
    [result] = deliver_all([planned], ledger=ledger, channel=channel(config), resend=True)
    return result


def _message(config: AppConfig, partner: PartnerConfig, key: DeliveryKey, items: list[WatchItem], now: dt.datetime):
    rendered = render_watch(partner.name, key.period, items, courts=court_names(config, partner.filters.courts),
                            generated_at=now)
    return list_message(config, key, partner.emails, rendered, now)


def pending_reviews(store: Store, partner: str | None = None) -> list[tuple[MatchRecord, CaseView | None]]:
    """Matches a person has to look at, with the case as stored."""
    pending = WatchStore(store.engine).matches(partner, pending=True)
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store.engine, [(m.court, m.case_number) for m in pending])}
    return [(m, cases.get((m.court, m.case_number))) for m in pending]
