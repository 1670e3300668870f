"""Partners with `receives: [expungement_eligible]` get, once a month, the stored cases the
tenant can still have expunged by petition (pipeline.erasure.petition_eligible)."""

from __future__ import annotations

import datetime as dt

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.courts import stored_laws
from evictwatch.jobs.mail import XLSX, channel, message, partners_receiving
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.eligible import EligibleCase, render_eligible
from notify.message import Attachment
from pipeline.erasure import petition_eligible, statutes
from pipeline.store.notices import cases_by_number
from pipeline.store.repo import Store

KIND = "expungement_eligible"


def eligible_cases(config: AppConfig, store: Store, partner: PartnerConfig) -> list[EligibleCase]:
    courts = set(partner.filters.courts)
    found = [c for c in petition_eligible(store, stored_laws(store)) if not courts or c.court in courts]
    views = {(v.court, v.case_number): v for v in cases_by_number(store, [(c.court, c.case_number)
                                                                                 for c in found])}
    names = {c.id: c.display_name for c in config.courts}
    opted_out = store.ledger.opted_out_households()
    out = []
    for c in found:
        view = views.get((c.court, c.case_number))
        if view is None or view.household in opted_out:
            continue
        if partner.filters.zips and (view.tenant is None or view.tenant.zip5 not in partner.filters.zips):
            continue
        out.append(EligibleCase(names.get(c.court, c.court), c.case_number, c.filed, c.status, c.disposed_on,
                                view.filed_as, view.landlord, view.tenant.zip5 if view.tenant else None, c.court))
    return sorted(out, key=lambda e: (e.disposed_on or e.filed, e.court, e.case_number))


def send_eligibility_lists(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                           dry_run: bool = False, now: dt.datetime | None = None) -> list[DeliveryResult]:
    """This month's list to each partner, once (the delivery key is the month)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    month = f"{today:%Y-%m}"

    def plan(partner: PartnerConfig) -> Planned:
        key = DeliveryKey(partner.name, KIND, month)

        def prepare() -> Content:
            cases = eligible_cases(config, store, partner)
            rendered = render_eligible(partner.name, month, cases, law=statutes(stored_laws(store), {c.court_id for c in cases}),
                                       generated_at=now)
            stem = f"expungement-eligible-{month}"
            return Content(len(cases), message(config, key, partner.emails, subject=rendered.subject,
                                               text=rendered.text, html=None, now=now,
                                               attachments=[Attachment(f"{stem}.csv", rendered.csv, "text/csv"),
                                                            Attachment(f"{stem}.xlsx", rendered.xlsx, XLSX)]),
                           cases=[(c.court_id, c.case_number) for c in cases])
        return Planned(key, prepare)

    return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)],
                       ledger=store.ledger, channel=channel(config, dry_run))
