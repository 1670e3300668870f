"""A partner's watch-list digest: the new matches with its list and what happened in the cases
it follows, one e-mail per run with news, each fact told once (through the delivery log, as
alert facts are)."""

from __future__ import annotations

import datetime as dt

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.mail import (
    channel,
    court_names,
    digest_plan,
    list_message,
    partners_receiving,
    portal_of,
)
from evictwatch.jobs.watch import KIND, watching_partner
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.render import render_watch
from notify.watchdigest import (
    WatchFact,
    WatchItem,
    case_facts,
    digest_order,
    watch_item,
)
from pipeline.store.ledger import AlertFact, Ledger
from pipeline.store.notices import cases_by_number
from pipeline.store.repo import Store


def _digest_items(store: Store, ledger: Ledger, partner: PartnerConfig, today: dt.date, portal: dict[str, str],
                  *, only: set[str] | None = None) -> list[tuple[WatchItem, list[WatchFact]]]:
    """What this partner was not told yet (or, with `only`: exactly those facts again)."""
    matches = [m for m in store.watch.matches(partner.name) if m.decision != "no"]
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store, [(m.court, m.case_number) for m in matches])}
    told = {k: day for k, day in ledger.told(partner.name, "watch|").items() if only is None or k not in only}
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
    ledger = store.ledger
    portal = portal_of(config)

    def plan(partner: PartnerConfig) -> Planned:
        def prepare(key: DeliveryKey) -> Content | None:
            items = _digest_items(store, ledger, partner, today, portal)
            if not items:
                return None
            return Content(len(items), _message(config, partner, key, [i for i, _ in items], now),
                           claim=lambda: ledger.claim(key, _claims(items)),
                           cases=[(i.court, i.case_number) for i, _ in items])
        return digest_plan(ledger, partner.name, KIND, today, prepare)

    return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)], ledger=ledger,
                       channel=channel(config, dry_run))


def resend_watch_digest(config: AppConfig, store: Store, key_text: str, *, today: dt.date,
                        now: dt.datetime | None = None) -> DeliveryResult:
    """A held digest again, by its key, with the facts it carried (after a person checked)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = store.ledger
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
