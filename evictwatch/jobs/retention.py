"""Retention: tenants' data of long-closed cases, and old e-mails in the outbox, removed on schedule."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from evictwatch.config import AppConfig
from pipeline.store.purge import PurgePlan, plan_purge, purge
from pipeline.store.repo import Store

log = logging.getLogger("evictwatch.jobs.retention")


@dataclass(frozen=True)
class RetentionResult:
    plan: PurgePlan
    outbox_files: list[Path]
    done: bool  # False for a dry run


def old_outbox_files(config: AppConfig, now: dt.datetime) -> list[Path]:
    """Sent e-mails and docket sheets (they carry tenants' names) older than
    `retention.outbox_days`, dry runs included."""
    cutoff = (now - dt.timedelta(days=config.retention.outbox_days)).timestamp()
    found = []
    for folder, patterns in ((config.outbox_path(), ("*.eml",)), (config.dry_run_path(), ("*.eml",)),
                             (config.dockets_path(), ("docket-*.html", "docket-*.pdf"))):
        if folder.exists():
            found += [p for pattern in patterns for p in folder.rglob(pattern) if p.stat().st_mtime < cutoff]
    return sorted(found)


def apply_retention(config: AppConfig, store: Store, *, now: dt.datetime | None = None,
                    dry_run: bool = False) -> RetentionResult:
    now = now or dt.datetime.now(dt.timezone.utc)
    plan = plan_purge(store.engine, now - dt.timedelta(days=config.retention.closed_case_days))
    files = old_outbox_files(config, now)
    if not dry_run:
        purge(store.engine, plan)
        for path in files:
            path.unlink(missing_ok=True)
        if plan.case_ids or files or plan.raw_pages:
            log.info("retention applied", extra={"cases": len(plan.case_ids), "defendants": plan.defendants,
                                                  "raw_pages": plan.raw_pages, "outbox_files": len(files)})
    return RetentionResult(plan, files, not dry_run)
