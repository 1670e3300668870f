"""`evictwatch notify`: the partners' e-mails, each sent once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from enum import Enum

import typer
from rich.markup import escape

from evictwatch.commands.common import (
    Globals,
    counted,
    err,
    fail,
    known_partner,
    out,
    parse_day,
    valid_week,
)
from evictwatch.commands.database import exclusive, existing_store, open_store
from evictwatch.config import AppConfig
from evictwatch.jobs.alerts import resend_alerts, send_alerts
from evictwatch.jobs.cycle_state import local_now
from evictwatch.jobs.docket import send_docket_sheets
from evictwatch.jobs.eligible import send_eligibility_lists
from evictwatch.jobs.erasure import apply_erasures, resend_recall, send_recalls
from evictwatch.jobs.lists import send_weekly_lists
from evictwatch.jobs.mail import iso_week
from evictwatch.jobs.operators import report_held
from evictwatch.jobs.report import send_weekly_reports
from evictwatch.jobs.watch import match_all
from evictwatch.jobs.watch_digest import resend_watch_digest, send_watch_digests
from evictwatch.steps import EMAILED_KINDS, DeliveryKind
from notify.deliver import DeliveryResult, Outcome
from notify.outreach import week_bounds
from notify.transport import MissingSecretError
from pipeline.store.repo import Store

# `--kind`'s choices: every delivery that is an e-mail, or all of them.
Kind = Enum("Kind", [("all", "all")] + [(kind.value, kind.value) for kind in EMAILED_KINDS], type=str)


@dataclass(frozen=True)
class Sending:
    """What `notify` was asked to send: `week` the weekly list's ISO week, `report_week` the one before."""

    config: AppConfig
    store: Store
    day: dt.date
    week: str
    report_week: str
    partner: str | None
    dry_run: bool
    today_given: bool
    week_given: bool
    named: bool  # its kind asked for by name (a docket sheet then goes now, not only once its time has come)


def _weekly_lists(s: Sending) -> list[DeliveryResult]:
    return send_weekly_lists(s.config, s.store, week=s.week, partner_name=s.partner, dry_run=s.dry_run,
                             today=s.day if s.today_given or not s.week_given else None)


def _urgent_alerts(s: Sending) -> list[DeliveryResult]:
    return send_alerts(s.config, s.store, today=s.day, partner_name=s.partner, dry_run=s.dry_run)


def _weekly_reports(s: Sending) -> list[DeliveryResult]:
    return send_weekly_reports(s.config, s.store, week=s.report_week, today=s.day, partner_name=s.partner,
                               dry_run=s.dry_run)


def _docket_sheets(s: Sending) -> list[DeliveryResult]:
    """Asked for by name: now; with the rest: only partners whose docket_time has come."""
    due_at = None if s.named else local_now(s.config, s.day if s.today_given else None)
    return send_docket_sheets(s.config, s.store, today=s.day, partner_name=s.partner, dry_run=s.dry_run, due_at=due_at)


def _watch_digests(s: Sending) -> list[DeliveryResult]:
    if not s.dry_run:
        match_all(s.config, s.store)
    return send_watch_digests(s.config, s.store, today=s.day, partner_name=s.partner, dry_run=s.dry_run)


def _eligibility_lists(s: Sending) -> list[DeliveryResult]:
    return send_eligibility_lists(s.config, s.store, today=s.day, partner_name=s.partner, dry_run=s.dry_run)


def _recalls(s: Sending) -> list[DeliveryResult]:
    return send_recalls(s.config, s.store, today=s.day, partner_name=s.partner, dry_run=s.dry_run)


SENDERS: dict[DeliveryKind, Callable[[Sending], list[DeliveryResult]]] = {
    DeliveryKind.WEEKLY_LIST: _weekly_lists, DeliveryKind.URGENT_ALERTS: _urgent_alerts,
    DeliveryKind.WEEKLY_REPORT: _weekly_reports, DeliveryKind.DOCKET_SHEET: _docket_sheets,
    DeliveryKind.WATCH_MATCHES: _watch_digests, DeliveryKind.EXPUNGEMENT_ELIGIBLE: _eligibility_lists,
    DeliveryKind.RECALL: _recalls,
}


def notify_command(
    ctx: typer.Context,
    partner: str = typer.Option(None, "--partner", help="Only this partner (its name in the config)."),
    kind: Kind = typer.Option(Kind.all, "--kind", help="One kind of e-mail, or all (with all, a docket sheet "
                              "goes once its docket_time has come)."),
    week: str = typer.Option(None, "--week", help="ISO week YYYY-Www of the weekly list (the report is of the "
                             "week before); default this week."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the e-mails beside the outbox; record nothing."),
    resend: str = typer.Option(None, "--resend", help="Send a held delivery again, by its key, after checking."),
    today: str = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """What is due to each partner (the e-mails of evictwatch/steps.py: weekly lists, urgent alerts, the weekly
    report, docket sheets, watch-list digests, expungement lists, recalls), each e-mailed once (outbox or SMTP)."""
    g: Globals = ctx.obj
    config = g.config()
    if partner is not None:
        known_partner(config, partner, g.config_path)
    if resend and dry_run:
        fail("--resend sends the held delivery for real: give it without --dry-run", code=2)
    store = existing_store(g) if dry_run else open_store(g)

    day = parse_day(today, "--today") or local_now(config, None).date()  # the schedule's day, not the server's
    period = week or iso_week(day)
    if not valid_week(period):
        fail(f"--week {period!r}: expected an ISO week like 2026-W48", code=2)
    report_week = iso_week(week_bounds(period)[0] - dt.timedelta(days=7))  # the last full week before it
    try:
        # A dry run takes no lock and closes no run: it writes nothing but its own e-mails.
        with nullcontext() if dry_run else exclusive(store):
            if not dry_run:  # nothing goes out showing a case the law has erased by today
                apply_erasures(config, store, today=day)
            if resend:
                results = _resend(config, store, resend, day)
            else:
                sending = Sending(config, store, day, period, report_week, partner, dry_run, today_given=today is not None,
                                  week_given=week is not None, named=kind is not Kind.all)
                results = [r for d in EMAILED_KINDS if kind in (Kind.all, Kind(d.value)) for r in SENDERS[d](sending)]
    except MissingSecretError as exc:
        fail(str(exc), code=2)
    except KeyError as exc:
        fail(str(exc.args[0]), code=2)
    if not results and not resend:
        kinds = [k.value for k in EMAILED_KINDS] if kind is Kind.all else [kind.value]
        if kind.value != DeliveryKind.RECALL and not any(k in p.receives for p in config.partners for k in kinds
                                               if not partner or p.name == partner):
            out.print(f"nothing to send: no partner{f' named {partner!r}' if partner else ''} in {g.config_path} "
                      f"receives {' or '.join(kinds)} (partners[].receives)", highlight=False)
    for r in results:
        where = f" -> {r.path}" if r.path else (f": {r.outcome.detail}" if r.outcome.detail else "")
        out.print(f"{r.partner} ({r.kind}): {r.outcome.state}, {_rows(r.kind, r.rows)}{where}", highlight=False)
    if not dry_run:
        held = store.ledger.unsettled()
        for d in held:
            err.print(f"[yellow]held:[/] {escape(d.key)} — outcome unknown; check with the partner, then "
                      f"evictwatch notify --resend '{escape(d.key)}'", highlight=False)
        for told in report_held(config, store, held):
            if told.state == Outcome.SENT:
                err.print(f"operators told about held delivery ({told.key})", highlight=False)
    if any(r.outcome.state in (Outcome.FAILED, Outcome.UNKNOWN) for r in results):
        raise typer.Exit(1)


def _rows(kind: str, rows: int) -> str:
    """What a delivery holds, counted: '1 case', '3 alerts', '1 report', '2 cases recalled'."""
    word, plural = {"urgent_alerts": ("alert", None), "weekly_report": ("report", None),
                    "docket_sheet": ("hearing", None), "recall": ("case recalled", "cases recalled")
                    }.get(kind, ("case", None))
    return counted(rows, word, plural)


def _resend(config, store, key: str, day: dt.date) -> list:
    """A held delivery again, by its key, after a person checked that it did not arrive."""
    record = store.ledger.get(key)
    if record is None:
        fail(f"--resend {key!r}: no alert digest, weekly list or report with this key in the delivery log "
             "(the held ones are listed by `evictwatch notify` and `evictwatch status`)", code=2)
    if record.kind == "weekly_list":
        return send_weekly_lists(config, store, week=record.period, partner_name=record.partner, resend=True)
    if record.kind == "urgent_alerts":
        return [resend_alerts(config, store, key, today=day)]
    if record.kind == "weekly_report":
        return send_weekly_reports(config, store, week=record.period, today=day, partner_name=record.partner,
                                   resend=True)
    if record.kind == "docket_sheet":

        return send_docket_sheets(config, store, today=day, partner_name=record.partner, resend=True,
                                  day=dt.date.fromisoformat(record.period))
    if record.kind == "recall":

        return [resend_recall(config, store, key)]
    if record.kind == "watch_matches":

        return [resend_watch_digest(config, store, key, today=day)]
    fail(f"--resend {key!r}: a {record.kind} delivery is not resent by hand", code=2)
    return []


commands = typer.Typer(rich_markup_mode=None)
commands.command("notify")(notify_command)
