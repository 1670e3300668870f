"""Urgent alerts for each partner: one digest per run with only what is new to that partner.

Exactly once, per fact and partner: the facts of a digest are claimed for its delivery key
before it is handed over. A fact claimed by a sent or held digest is never put in another;
a digest that failed (refused, server down) is retried by the next run under the same key,
with whatever is still current plus anything new.
"""

from __future__ import annotations

import datetime as dt

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.court_days import closed_days_of
from evictwatch.jobs.mail import (
    channel,
    court_names,
    digest_plan,
    filters_of,
    list_message,
    local_time,
    partners_receiving,
    portal_of,
)
from notify.alerts import (
    AlertWindow,
    alert_item,
    alert_window,
    fact_key,
    partner_alerts,
)
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.render import AlertItem, render_alerts
from pipeline.store.ledger import AlertFact
from pipeline.store.notices import alert_candidates, cases_by_number
from pipeline.store.repo import Store

KIND = "urgent_alerts"


def send_alerts(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                dry_run: bool = False, now: dt.datetime | None = None) -> list[DeliveryResult]:
    now = now or dt.datetime.now(dt.timezone.utc)
    window = alert_window(today, config.notify.alert_lookback_days, closed_days_of(config, today))
    ledger = store.ledger
    opted_out = ledger.opted_out_households()
    portal = portal_of(config)
    cases = list(alert_candidates(store, since=window.since, until=window.until,
                                  hearing_days=window.all_hearing_days))

    def plan(partner: PartnerConfig) -> Planned:
        def prepare(key: DeliveryKey) -> Content | None:
            items = partner_alerts(cases, window, filters=filters_of(partner), opted_out=opted_out,
                                   already_told=ledger.alerted_facts(partner.name), portal=portal)
            if not items:
                return None
            return Content(len(items), _message(config, partner, key, items, window, now),
                           claim=lambda: ledger.claim(key, [_fact(i) for i in items]),
                           cases=[(i.court, i.case_number) for i in items])
        return digest_plan(ledger, partner.name, KIND, today, prepare)

    return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)], ledger=ledger,
                       channel=channel(config, dry_run))


def resend_alerts(config: AppConfig, store: Store, key_text: str, *, today: dt.date,
                  now: dt.datetime | None = None) -> DeliveryResult:
    """Send a held digest again, by its key as the operators were told it, with the facts it
    carried (after a person checked it did not arrive)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = store.ledger
    record = ledger.get(key_text)
    facts = ledger.claimed_facts(DeliveryKey(record.partner, record.kind, record.period)) if record else []
    if record is None or record.kind != KIND or not facts:
        raise KeyError(f"no alert digest {key_text!r} in the delivery log")
    key = DeliveryKey(record.partner, record.kind, record.period)
    partner = next((p for p in config.partners if p.name == key.partner), None)
    if partner is None:
        raise KeyError(f"no partner named {key.partner!r} in the configuration")
    items = _items_of(store, facts, portal_of(config))
    window = alert_window(today, config.notify.alert_lookback_days, closed_days_of(config, today))
    planned = Planned(key, lambda: Content(len(items), _message(config, partner, key, items, window, now)))
    [result] = deliver_all([planned], ledger=ledger, channel=channel(config), resend=True)
    return result


def _message(config: AppConfig, partner: PartnerConfig, key: DeliveryKey, items: list[AlertItem],
             window: AlertWindow, now: dt.datetime):
    courts = partner.filters.courts or list(window.hearing_days) or [""]
    days = sorted({window.hearing_day_of(c) for c in courts})
    note = (f"Writs and default judgments since {window.since.isoformat()}; hearings on the next court day "
            f"({' / '.join(f'{d:%A} {d.isoformat()}' for d in days)}) with no attorney of record.")
    rendered = render_alerts(partner.name, key.period, items, courts=court_names(config, partner.filters.courts),
                             generated_at=local_time(config, now), note=note)
    return list_message(config, key, partner.emails, rendered, now)


def _fact(item: AlertItem) -> AlertFact:
    return AlertFact(fact_key(item), item.court, item.case_number, item.kind, item.when)


def _items_of(store: Store, facts: list[AlertFact], portal: dict[str, str]) -> list[AlertItem]:
    cases = {(c.court, c.case_number): c for c in
             cases_by_number(store, [(f.court, f.case_number) for f in facts])}
    items = []
    for fact in facts:
        found = cases.get((fact.court, fact.case_number))
        if found is None:
            items.append(AlertItem(fact.court, fact.case_number, fact.kind, fact.date, (), None, None,
                                   portal.get(fact.court, "")))
        else:
            items.append(alert_item(found, fact.kind, fact.date, portal))
    return items
