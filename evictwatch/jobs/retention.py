"""Retention: tenants' data of long-closed cases, and old e-mails in the outbox, removed on schedule."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from evictwatch.config import AppConfig
from evictwatch.jobs.erasure import apply_erasures
from pipeline.store.purge import PurgePlan, plan_purge, purge
from pipeline.store.repo import Store

log = logging.getLogger("evictwatch.jobs.retention")


@dataclass(frozen=True)
class RetentionResult:
    plan: PurgePlan
    outbox_files: list[Path]
    done: bool  # False for a dry run
    watch_lists: list[str] = field(default_factory=list)  # partners whose list went: no `watch:` entry any more
    watch_rows: dict[str, int] = field(default_factory=dict)  # removed, by table (not counted in a dry run)
    erasures: object = None  # evictwatch.jobs.erasure.ErasureResult: cases the law erased (or would)


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
                    dry_run: bool = False, today: dt.date | None = None) -> RetentionResult:
    now = now or dt.datetime.now(dt.timezone.utc)

    # The law's erasures first (they remove more than retention does), then the generic retention.
    # (The file is scrubbed once, after both.)
    erasures = apply_erasures(config, store, today=today or now.date(), now=now, dry_run=dry_run, scrub_now=False)
    plan = plan_purge(store, now - dt.timedelta(days=config.retention.closed_case_days))
    files = old_outbox_files(config, now)
    watch = store.watch
    watching = [p.name for p in config.partners if p.watch is not None]
    gone_lists = [p for p in watch.partners() if p not in watching]
    watch_rows: dict[str, int] = {}
    if not dry_run:

        dropped = store.recalls.drop_partners_not_in([p.name for p in config.partners])
        if dropped:
            log.warning("recalls dropped: their partners are no longer configured", extra={"recalls": dropped})
        purge(store, plan)
        watch_rows = watch.purge(keep=watching)  # after the cases: matches with purged cases go too
        for path in files:
            path.unlink(missing_ok=True)
        if erasures.erased.cases or plan.case_ids or plan.raw_pages or dropped or any(watch_rows.values()):
            store.scrub()
        if plan.case_ids or files or plan.raw_pages or any(watch_rows.values()):
            log.info("retention applied", extra={"cases": len(plan.case_ids), "defendants": plan.defendants,
                                                  "raw_pages": plan.raw_pages, "outbox_files": len(files),
                                                  **watch_rows})
    return RetentionResult(plan, files, not dry_run, gone_lists, watch_rows, erasures)
