"""Urgent alerts for each partner: one digest per run with only what is new to that partner.

Exactly once, per fact and partner: the facts of a digest are claimed for its delivery key
before it is handed over. A fact claimed by a sent or held digest is never put in another;
a digest that failed (refused, server down) is retried by the next run under the same key,
with whatever is still current plus anything new.
"""

from __future__ import annotations

import datetime as dt

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.lists import DOMAIN, XLSX, NotifyResult, filters_of, make_transport, portal_of, sent_path
from notify.alerts import AlertWindow, alert_item, alert_window, fact_key, partner_alerts
from notify.deliver import DeliveryOutcome, deliver, delivery_key
from notify.message import Attachment, build_message
from notify.render import AlertItem, render_alerts
from notify.transport import Transport
from pipeline.store.ledger import AlertFact, Ledger
from pipeline.store.queries import alert_candidates, cases_by_number
from pipeline.store.repo import Store

KIND = "urgent_alerts"


def send_alerts(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                dry_run: bool = False, now: dt.datetime | None = None) -> list[NotifyResult]:
    now = now or dt.datetime.now(dt.timezone.utc)
    window = alert_window(today, config.notify.alert_lookback_days)
    ledger = Ledger(store.engine)
    transport, transport_name = make_transport(config, dry_run)
    opted_out = ledger.opted_out_households()
    portal = portal_of(config)
    cases = list(alert_candidates(store.engine, since=window.since, until=window.until,
                                  hearing_day=window.hearing_day))
    results = []
    for partner in config.partners:
        if (partner_name and partner.name != partner_name) or KIND not in partner.receives:
            continue
        told = ledger.alerted_facts(partner.name)
        items = partner_alerts(cases, window, filters=filters_of(partner), opted_out=opted_out,
                               already_told=told, portal=portal)
        latest = ledger.latest(partner.name, KIND)
        retry = latest if latest is not None and latest.state == "failed" else None
        if not items:
            if retry is not None:
                # What the failed digest held is no longer current (a hearing passed, a writ aged out).
                ledger.outcome(retry.key, "expired", error="nothing left to alert by " + today.isoformat())
            results.append(NotifyResult(partner.name, DeliveryOutcome("", "nothing_new"), 0, kind=KIND))
            continue
        period = retry.period if retry is not None else _new_period(ledger, partner.name, today)
        if dry_run:
            message = _message(config, partner, period, items, window, now)("")
            path = transport.send(message)
            results.append(NotifyResult(partner.name, DeliveryOutcome("", "dry_run", path), len(items), path, KIND))
            continue
        key = delivery_key(partner.name, KIND, period)
        ledger.claim(partner.name, key, [_fact(i) for i in items])
        results.append(_deliver(config, ledger, transport, transport_name, partner, period, items, window, now))
    return results


def resend_alerts(config: AppConfig, store: Store, key: str, *, today: dt.date,
                  now: dt.datetime | None = None) -> NotifyResult:
    """Send a held digest again, with the facts it carried (after a person checked it did not arrive)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    partner_name, _, period = key.split("|", 2)
    partner = next((p for p in config.partners if p.name == partner_name), None)
    if partner is None:
        raise KeyError(f"no partner named {partner_name!r} in the configuration")
    ledger = Ledger(store.engine)
    facts = ledger.claimed_facts(key)
    if not facts:
        raise KeyError(f"no alert digest {key!r} in the delivery log")
    items = _items_of(store, facts, portal_of(config))
    transport, transport_name = make_transport(config)
    window = alert_window(today, config.notify.alert_lookback_days)
    return _deliver(config, ledger, transport, transport_name, partner, period, items, window, now, resend=True)


def _deliver(config: AppConfig, ledger: Ledger, transport: Transport, transport_name: str,
             partner: PartnerConfig, period: str, items: list[AlertItem], window: AlertWindow,
             now: dt.datetime, resend: bool = False) -> NotifyResult:
    outcome = deliver(ledger, transport, transport_name, partner=partner.name, kind=KIND, period=period,
                      rows=len(items), build=_message(config, partner, period, items, window, now),
                      domain=DOMAIN, resend=resend)
    return NotifyResult(partner.name, outcome, len(items), sent_path(outcome, transport_name), KIND)


def _message(config: AppConfig, partner: PartnerConfig, period: str, items: list[AlertItem],
             window: AlertWindow, now: dt.datetime):
    note = (f"Writs and default judgments since {window.since.isoformat()}; hearings on "
            f"{window.hearing_day:%A} {window.hearing_day.isoformat()} with no attorney of record.")
    rendered = render_alerts(partner.name, period, items, generated_at=now, note=note)

    def build(mid: str):
        return build_message(
            key=delivery_key(partner.name, KIND, period), sender=config.notify.sender, to=partner.emails,
            subject=rendered.subject, text=rendered.text, html=rendered.html,
            attachments=[Attachment(f"{rendered.filename_stem}.csv", rendered.csv, "text/csv"),
                         Attachment(f"{rendered.filename_stem}.xlsx", rendered.xlsx, XLSX)],
            reply_to=config.notify.reply_to, domain=DOMAIN, date=now)
    return build


def _new_period(ledger: Ledger, partner: str, today: dt.date) -> str:
    """Runs of one day are numbered: 2026-11-27.1, 2026-11-27.2, ..."""
    return f"{today.isoformat()}.{ledger.count_periods(partner, KIND, today.isoformat() + '.') + 1}"


def _fact(item: AlertItem) -> AlertFact:
    return AlertFact(fact_key(item), item.court, item.case_number, item.kind, item.when)


def _items_of(store: Store, facts: list[AlertFact], portal: dict[str, str]) -> list[AlertItem]:
    cases = {(r.court, r.case_number): (r, d) for r, d in
             cases_by_number(store.engine, [(f.court, f.case_number) for f in facts])}
    items = []
    for fact in facts:
        found = cases.get((fact.court, fact.case_number))
        if found is None:
            items.append(AlertItem(fact.court, fact.case_number, fact.kind, fact.date, (), None, None,
                                   f"{portal.get(fact.court, '')} — case {fact.case_number}"))
        else:
            items.append(alert_item(found[0], found[1], fact.kind, fact.date, portal))
    return items
