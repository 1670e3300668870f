"""What the law and retention take away, followed everywhere evictwatch put it.

Cases the law erases (each court system's adapter says when) go from the store (pipeline.erasure)
and from every file that lists them; tenants' data of long-closed cases and old e-mails in the
outbox go on schedule (`apply_retention`, which applies the law's erasures first).

After the store has erased a case (pipeline.erasure), the files that list it go too: the
e-mails in the outbox and beside it (their decoded parts and unzipped spreadsheets are read),
and the docket sheets (HTML and its PDF); calendar feeds are written again without it. Each
partner that was given the case gets one short recall notice, with case numbers only.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import logging
import zipfile
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.courts import stored_laws
from evictwatch.jobs.calendar import write_calendars
from evictwatch.jobs.mail import channel, digest_plan, message
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.message import KEY_HEADER
from notify.render import operator_text
from pipeline.erasure import Due, due, statutes
from pipeline.store.erasure.erase import Erased, erase, missing
from pipeline.store.erasure.recalls import Owed
from pipeline.store.erasure.retention import PurgePlan, plan_purge, purge
from pipeline.store.ledger import DeliveryState, Ledger
from pipeline.store.repo import Store

log = logging.getLogger("evictwatch.jobs.erasure")

KIND = "recall"


@dataclass
class ErasureResult:
    erased: Erased
    files: list[Path] = field(default_factory=list)  # e-mails and docket sheets deleted because they list one
    planned: list[Due] = field(default_factory=list)  # a dry run: what would be erased, and why
    vanishing: list[tuple[str, str, dt.date]] = field(default_factory=list)  # a dry run: (court, number, since)


def apply_erasures(config: AppConfig, store: Store, *, today: dt.date, now: dt.datetime | None = None,
                   dry_run: bool = False, scrub_now: bool = True) -> ErasureResult:
    planned = due(store, today, stored_laws(store))
    if dry_run or not planned:
        return ErasureResult(Erased(0, 0, 0, []), planned=planned, vanishing=missing(store) if dry_run else [])
    erased, files = erase_with_files(config, store, [(d.case.case_id, d.case.court, d.case.case_number)
                                                     for d in planned], "expunged", today=today, now=now,
                                     scrub_now=scrub_now)

    write_calendars(config, store, today=today)  # the feeds drop its events now, not at the next run
    log.info("cases erased by law", extra={"reason": "expunged", "cases": erased.cases, "raw_pages": erased.raw_pages,
                                            "files": len(files), "recalls_owed": erased.recalls})
    return ErasureResult(erased, files)


def erase_with_files(config: AppConfig, store: Store, cases: list[tuple[int, str, str]], reason: str, *,
                     today: dt.date, now: dt.datetime | None = None,
                     scrub_now: bool = True) -> tuple[Erased, list[Path]]:
    """The files that list these cases first (once the store has forgotten their numbers,
    nothing could find those files again), then the store."""
    files = remove_files_naming(config, [(court, number) for _, court, number in cases], store.ledger)
    return erase(store, [case_id for case_id, _, _ in cases], reason, today=today, now=now,
                 scrub_now=scrub_now), files


def remove_files_naming(config: AppConfig, numbers: list[tuple[str, str]], ledger: Ledger) -> list[Path]:
    """Deletes the e-mails and docket sheets that list any of these case numbers; returns them.
    An outbox e-mail whose delivery is still `sending` (its outcome went unrecorded) is settled
    as sent first: once its file is gone, nothing could tell that it was handed over."""
    wanted = sorted({number for _, number in numbers})
    doomed: list[Path] = []
    for folder in (config.outbox_path(), config.dry_run_path()):
        if folder.exists():
            doomed += [p for p in sorted(folder.rglob("*.eml")) if _names_any(_eml_text(p), wanted)]
    dockets = config.dockets_path()
    if dockets.exists():
        for page in sorted(dockets.glob("docket-*.html")):
            if _names_any(page.read_text(encoding="utf-8", errors="replace"), wanted):
                doomed += [page] + [p for p in (page.with_suffix(".pdf"),) if p.exists()]
    for path in doomed:
        if path.is_relative_to(config.outbox_path()):
            _settle_written(ledger, path)
        path.unlink(missing_ok=True)
    return doomed


def _settle_written(ledger: Ledger, path: Path) -> None:
    key = email.message_from_bytes(path.read_bytes(), policy=policy.default).get(KEY_HEADER)
    record = ledger.get(str(key)) if key else None
    if record is not None and record.state == DeliveryState.SENDING and record.receipt == str(path):
        ledger.outcome(record.key, DeliveryState.SENT, receipt=str(path))


def _names_any(text: str, numbers: list[str]) -> bool:
    return any(n in text for n in numbers)


def _eml_text(path: Path) -> str:
    """Everything a mail program would show of it: decoded text parts and attachments, the
    spreadsheets unzipped."""
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    texts = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if payload[:2] == b"PK":  # an XLSX: its cells live in XML inside the zip
            try:
                with zipfile.ZipFile(io.BytesIO(payload)) as book:
                    texts += [book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")]
            except zipfile.BadZipFile:
                texts.append(payload.decode("utf-8", "replace"))
        else:
            texts.append(payload.decode("utf-8", "replace"))
    return "\n".join(texts)


def send_recalls(config: AppConfig, store: Store, *, today: dt.date, partner_name: str | None = None,
                 dry_run: bool = False, now: dt.datetime | None = None) -> list[DeliveryResult]:
    """One notice per partner with recalls owed; each (case, partner) recalled once."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger, recalls = store.ledger, store.recalls
    owing = set(recalls.partners())
    partners = [p for p in config.partners if p.name in owing and (not partner_name or p.name == partner_name)]
    unknown = owing - {p.name for p in config.partners}
    if unknown:
        log.warning("recalls owed to partners not in the configuration", extra={"partners": len(unknown)})

    def plan(partner: PartnerConfig) -> Planned:
        def prepare(key: DeliveryKey) -> Content | None:
            owed = recalls.open_for(partner.name)
            if not owed:
                return None
            return Content(len(owed), _notice(config, store, partner, key, owed, now),
                           claim=lambda: recalls.claim(key, owed))
        return digest_plan(ledger, partner.name, KIND, today, prepare)

    results = deliver_all([plan(p) for p in partners], ledger=ledger, channel=channel(config, dry_run))
    if not dry_run:
        recalls.settle()
    return results


def resend_recall(config: AppConfig, store: Store, key_text: str, *,
                  now: dt.datetime | None = None) -> DeliveryResult:
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger, recalls = store.ledger, store.recalls
    record = ledger.get(key_text)
    if record is None or record.kind != KIND:
        raise KeyError(f"no recall notice {key_text!r} in the delivery log")
    key = DeliveryKey(record.partner, record.kind, record.period)
    partner = next((p for p in config.partners if p.name == key.partner), None)
    owed = recalls.open_for(key.partner, key)
    if partner is None or not owed:
        raise KeyError(f"recall notice {key_text!r}: no partner {key.partner!r} configured, or nothing it carried")
    [result] = deliver_all([Planned(key, lambda: Content(len(owed), _notice(config, store, partner, key, owed, now)))],
                           ledger=ledger, channel=channel(config), resend=True)
    recalls.settle()
    return result


def _notice(config: AppConfig, store: Store, partner: PartnerConfig, key: DeliveryKey, owed: list[Owed],
            now: dt.datetime):
    names = {c.id: c.display_name for c in config.courts}
    lines = [f"{o.case_number}  ({names.get(o.court, o.court)})" for o in owed]
    subject = f"Recall: remove {len(owed)} eviction case{'s' if len(owed) != 1 else ''} from your records"
    law = statutes(stored_laws(store), {o.court for o in owed})
    intro = (f"For {partner.name}: the court's record of these cases was expunged or sealed"
             f"{f' ({law})' if law else ''}. Please remove these case numbers, and anything you keep about them "
             "(names, addresses, notes), from any copy you keep: lists, spreadsheets, calendars, notes. "
             "evictwatch has deleted what it held of them.")
    text = operator_text(subject, [intro, "", *lines], generated_at=now)
    return message(config, key, partner.emails, subject=subject, text=text, html=None, attachments=[], now=now)


# --- retention ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    plan: PurgePlan
    outbox_files: list[Path]
    done: bool  # False for a dry run
    watch_lists: list[str] = field(default_factory=list)  # partners whose list went: no `watch:` entry any more
    watch_rows: dict[str, int] = field(default_factory=dict)  # removed, by table (not counted in a dry run)
    erasures: ErasureResult | None = None  # cases the law erased (or would)


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
