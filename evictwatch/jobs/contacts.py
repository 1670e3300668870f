"""Partners' outreach recorded from their weekly list: the configuration's side of
pipeline.outreach_sheet (which partner, which courts and what they are called)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from pipeline.outreach_sheet import Imported, OutreachFileError, read_outreach  # noqa: F401  (the commands' API)
from pipeline.store.repo import Store


def partner_courts(config: AppConfig, partner: PartnerConfig) -> list[str]:
    return list(partner.filters.courts) or [c.id for c in config.courts]


def import_outreach(config: AppConfig, store: Store, partner: PartnerConfig, path: Path, *,
                    now: dt.datetime, today: dt.date) -> Imported:
    courts = partner_courts(config, partner)
    names = {court.id: court.display_name for court in config.courts if court.id in courts}
    return read_outreach(store, partner.name, path, courts=names, now=now, today=today,
                         recorded_by=f"import: {path.name}")
