"""`evictwatch status`: what an operator checks first, as data (for --json) and as tables."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from evictwatch.commands.common import Globals, out, parse_day
from evictwatch.commands.database import existing_store
from evictwatch.config import AppConfig
from scraper.ratelimit import host_of
from pipeline.store.erasure.erase import purge_counts
from pipeline.store.jobqueue import queue_state
from pipeline.store.repo import Store


def status_report(config: AppConfig, store: Store, *, today: dt.date) -> dict[str, Any]:
    log = store.runlog
    open_cases = log.open_cases()
    courts = []
    for court in config.courts:
        scrapes = log.scrapes(court.id, limit=1)
        last = scrapes[0] if scrapes else None
        ok = log.last_ok(court.id)
        age = (today - ok.as_of).days if ok and ok.as_of else None
        courts.append({
            "court": court.id, "enabled": court.enabled,
            "last_scrape": last.started_at.isoformat() if last else None,
            "last_outcome": last.outcome if last else None,
            "last_error": last.error_kind if last else None,
            "last_ok_day": ok.as_of.isoformat() if ok and ok.as_of else None,
            "days_since_ok": age,
            "pages": (last.result_pages + last.detail_pages) if last else 0,
            "new": last.new_cases if last else 0, "updated": last.updated_cases if last else 0,
            "open_cases": open_cases.get(court.id, 0),
        })
    runs = [{"id": r.id, "started_at": r.started_at.isoformat(), "today": r.today.isoformat(), "trigger": r.trigger,
             "outcome": r.outcome, "courts_failed": r.courts_failed, "sent": r.sent} for r in log.runs(limit=5)]
    alarms = [{"key": a.key, "kind": a.kind, "court": a.court_id, "since": a.raised_at.isoformat(),
               "detail": a.detail} for a in log.alarms(state="raised")]
    queue = _queue(config, store)
    pending = log.deliveries_pending()
    week_ago = dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min, tzinfo=dt.timezone.utc)
    emails = [{"kind": t.kind, "sent": t.sent, "sent_last_7_days": t.sent_since,
               "last_sent": t.last_sent_at.isoformat() if t.last_sent_at else None,
               "failed": t.failed, "held": t.held} for t in log.deliveries_by_kind(since=week_ago)]
    return {
        "today": today.isoformat(),
        "healthy": not alarms and not pending["held"]
                   and all(c["last_outcome"] == "ok" for c in courts if c["enabled"])
                   and (queue is None or (not queue["counts"]["stalled"]
                                          and (config.run_mode != "distributed"
                                               or any(w["alive"] for w in queue["workers"])))),
        "run_mode": config.run_mode,
        "queue": queue,
        "courts": courts,
        "runs": runs,
        "deliveries": pending,
        "emails": emails,
        "alarms": alarms,
        "purges": _purges(store, today),
        "watch_lists": [{"partner": partner, **counts} for partner, counts in sorted(store.watch.summary().items())],
        "deferred": _deferred(config, store, today),
        "slow_hosts": [{"host": r.host, "configured_per_s": r.configured_per_s, "learned_per_s": round(r.learned_per_s, 2),
                        "lowest_per_s": round(r.lowest_per_s, 2), "throttled": r.throttled,
                        "since": r.updated_at.isoformat()} for r in store.host_rates.below_configured()],
    }


def _deferred(config: AppConfig, store: Store, today: dt.date) -> list[dict[str, Any]]:
    """Per host, the work its daily budget left for later runs, and how long the oldest has waited."""
    hosts = {court.id: host_of(court.base_url) for court in config.courts}
    by_host: dict[str, dict[str, Any]] = {}
    for court_id, items, oldest in store.deferred.waiting():
        host = by_host.setdefault(hosts.get(court_id, "(a court no longer configured)"),
                                  {"items": 0, "courts": 0, "oldest_due": oldest})
        host["items"] += items
        host["courts"] += 1
        host["oldest_due"] = min(host["oldest_due"], oldest)
    return [{"host": host, **figures, "oldest_due": figures["oldest_due"].isoformat(),
             "oldest_waiting_days": (today - figures["oldest_due"]).days} for host, figures in sorted(by_host.items())]


def _purges(store: Store, today: dt.date) -> dict[str, Any]:

    month_ago = dt.datetime.combine(today - dt.timedelta(days=30), dt.time.min, tzinfo=dt.timezone.utc)
    total, recent = purge_counts(store), purge_counts(store, since=month_ago)
    return {"by_reason": {r: {"cases": total.get(r, 0), "last_30_days": recent.get(r, 0)}
                          for r in ("retention", "expunged", "vanished")},
            "recalls_owed": store.recalls.count()}


def _queue(config: AppConfig, store: Store) -> dict[str, Any] | None:
    """The distributed mode's queue and workers (PostgreSQL with the queue's tables only)."""
    state = queue_state(store, config.distributed.stall_timeout_s)
    if state is None:
        return None
    return {"counts": state.counts,
            "workers": [{"name": w.name, "host": w.hostname, "pid": w.pid, "concurrency": w.concurrency,
                         "started_at": w.started_at.isoformat(), "last_seen": w.last_seen.isoformat(),
                         "alive": w.alive, "running": w.running} for w in state.workers],
            "failed_recently": [{"job": job, "task": task, "args": args} for job, task, args in state.failed_recently]}


def _queue_tables(queue: dict[str, Any]) -> list[Table]:
    counts = queue["counts"]
    jobs = Table(title="Task queue (distributed mode)", title_justify="left")
    for column in ("waiting", "scheduled (later)", "running", "stalled (worker gone)", "failed", "succeeded"):
        jobs.add_column(column, justify="right")
    jobs.add_row(*(str(counts[k]) for k in ("waiting", "scheduled", "running", "stalled", "failed", "succeeded")))
    workers = Table(title=f"Workers: {sum(w['alive'] for w in queue['workers'])} alive", title_justify="left")
    for column in ("worker", "started (UTC)", "last seen (UTC)", "state", "tasks at once", "running now"):
        workers.add_column(column, overflow="fold")
    for w in queue["workers"]:
        workers.add_row(f"{w['host']} pid {w['pid']}", _minute(w["started_at"]), w["last_seen"][:19].replace("T", " "),
                        "alive" if w["alive"] else "silent (stopped?)", str(w["concurrency"]),
                        "; ".join(w["running"]) or "idle")
    return [jobs, workers]


def status_tables(report: dict[str, Any]) -> list[Table]:
    courts = Table(title=f"Courts (as of {report['today']})", title_justify="left")
    for column in ("court", "last scrape", "outcome", "last good day", "days old", "pages", "new", "updated",
                   "open cases"):
        courts.add_column(column, justify="right" if column in ("days old", "pages", "new", "updated",
                                                                "open cases") else "left")
    for c in report["courts"]:
        outcome = c["last_outcome"] or "never"
        if c["last_error"]:
            outcome += f" ({c['last_error']})"
        courts.add_row(c["court"] + ("" if c["enabled"] else " (disabled)"), _minute(c["last_scrape"]),
                       outcome, c["last_ok_day"] or "never", "" if c["days_since_ok"] is None else str(c["days_since_ok"]),
                       str(c["pages"]), str(c["new"]), str(c["updated"]), str(c["open_cases"]))
    runs = Table(title="Recent runs", title_justify="left")
    for column in ("run", "started (UTC)", "day", "trigger", "outcome", "courts failed", "e-mails sent"):
        runs.add_column(column)
    for r in report["runs"]:
        runs.add_row(str(r["id"]), _minute(r["started_at"]), r["today"], r["trigger"], r["outcome"],
                     str(r["courts_failed"]), str(r["sent"]))
    emails = Table(title="E-mails", title_justify="left")
    for column in ("kind", "sent", "in the last 7 days", "last sent (UTC)", "failed (retried next run)",
                   "held (need a person)"):
        emails.add_column(column, justify="left" if column in ("kind", "last sent (UTC)") else "right")
    for e in report["emails"]:
        emails.add_row(email_kind(e["kind"]), str(e["sent"]), str(e["sent_last_7_days"]), _minute(e["last_sent"]) or "never",
                       str(e["failed"]), str(e["held"]))
    if not report["emails"]:
        emails.add_row("none sent yet", "0", "0", "never", "0", "0")
    alarms = Table(title=f"Alarms raised: {len(report['alarms'])}", title_justify="left")
    for column in ("alarm", "court", "since (UTC)", "detail"):
        alarms.add_column(column, overflow="fold")
    for a in report["alarms"]:
        alarms.add_row(a["kind"], a["court"] or "", _minute(a["since"]), a["detail"])
    purges = Table(title=f"Personal data removed (recalls owed to partners: {report['purges']['recalls_owed']})",
                   title_justify="left")
    for column in ("why", "cases", "in the last 30 days"):
        purges.add_column(column, justify="left" if column == "why" else "right")
    words = {"retention": "retention (closed long ago)", "expunged": "expunged by law", "vanished": "gone from the court"}
    for reason, n in report["purges"]["by_reason"].items():
        purges.add_row(words[reason], str(n["cases"]), str(n["last_30_days"]))
    tables = [courts, runs, emails, alarms, purges]
    if report["queue"] is not None:
        tables += _queue_tables(report["queue"])
    if report["watch_lists"]:
        watch = Table(title="Watch lists", title_justify="left")
        for column in ("partner", "rows", "case numbers", "cases followed", "to review", "rejected"):
            watch.add_column(column, justify="left" if column == "partner" else "right")
        for w in report["watch_lists"]:
            watch.add_row(w["partner"], *(str(w[k]) for k in ("rows", "case_numbers", "followed", "to_review",
                                                               "rejected")))
        tables.append(watch)
    if report["deferred"]:
        waiting = Table(title="Work each host's daily budget left for later runs (scrape.daily_budget_share)",
                        title_justify="left")
        for column in ("host", "hearing dates and cases", "courts", "oldest due since", "days waiting"):
            waiting.add_column(column, justify="left" if column in ("host", "oldest due since") else "right")
        for d in report["deferred"]:
            waiting.add_row(d["host"], str(d["items"]), str(d["courts"]), d["oldest_due"], str(d["oldest_waiting_days"]))
        tables.append(waiting)
    if report["slow_hosts"]:
        slow = Table(title="Courts' hosts scraped below their configured rate (they throttled us)",
                     title_justify="left")
        for column in ("host", "configured /s", "now starts at /s", "lowest /s", "throttle answers", "last run (UTC)"):
            slow.add_column(column, justify="left" if column in ("host", "last run (UTC)") else "right")
        for h in report["slow_hosts"]:
            slow.add_row(h["host"], f"{h['configured_per_s']:g}", f"{h['learned_per_s']:g}", f"{h['lowest_per_s']:g}",
                         str(h["throttled"]), _minute(h["since"]))
        tables.append(slow)
    return tables


def _minute(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


_KINDS = {"weekly_list": "weekly lists", "urgent_alerts": "urgent alerts", "weekly_report": "weekly reports",
          "watch_matches": "watch-list digests"}


def email_kind(kind: str) -> str:
    """"operator_alarm" -> "to operators: alarm"."""
    if kind.startswith("operator_"):
        return "to operators: " + kind.removeprefix("operator_").replace("_", " ")
    return _KINDS.get(kind, kind.replace("_", " "))


def status_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON for machines."),
    today: str = typer.Option(None, help="Judge freshness against this date (YYYY-MM-DD)."),
) -> None:
    """Health at a glance: last scrape per court, data freshness, open cases, e-mails sent and pending by kind, alarms."""
    g: Globals = ctx.obj
    report = status_report(g.config(), existing_store(g), today=parse_day(today, "--today") or dt.date.today())
    if as_json:
        out.print_json(json.dumps(report, default=str, ensure_ascii=False))
    else:
        # A pipe or a log file gets the full table, not one squeezed to 80 columns.
        console = out if out.is_terminal else Console(width=160)
        for table in status_tables(report):
            console.print(table)
    if not report["healthy"]:
        raise typer.Exit(1)


commands = typer.Typer(rich_markup_mode=None)
commands.command("status")(status_command)
