"""The weekly report as one self-contained HTML file, and the archive's index.

Jinja2 with autoescape and StrictUndefined: every value from the store (court ids, landlord
names) is escaped. Only the chart SVGs, made by matplotlib from numbers, and the report's JSON
(with <, > and & escaped) are inserted as markup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import asdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reports.weekly import COMPLETE, HISTORY_WEEKS, NO_DATA, OUTCOME_ORDER, PARTIAL, PROVISIONAL, WeeklyReport

TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                   lstrip_blocks=True, autoescape=select_autoescape(default=True, default_for_string=True))
_NAME = re.compile(r"^(\d{4}-W\d{2})(?:-(.+))?\.html$")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "rate":
        return f"{value:.0%}"
    if unit == "money":
        return f"${value:,.0f}"
    return f"{value:,.0f}"


def _change(now: float | None, then: float | None, unit: str,
            states: tuple[str, str] = (COMPLETE, COMPLETE)) -> dict[str, str] | None:
    """'+12 (+25%)' and a direction, or None when there is nothing to compare (no such week in
    the store, or no value in one of them): no comparison is shown then. A comparison with a
    week whose filings are not all visible says so."""
    if now is None or then is None:
        return None
    diff = now - then
    direction = "up" if diff > 0 else "down" if diff < 0 else "same"
    if unit == "rate":
        return {"text": f"{diff * 100:+.0f} pts".replace("-", "−"), "direction": direction}
    amount = f"{'+' if diff >= 0 else '−'}{_number(abs(diff), unit)}"
    percent = f" ({diff / then:+.0%})".replace("-", "−") if then else ""
    caveat = (", provisional" if PROVISIONAL in states else ", partial week" if states[0] == PARTIAL
              else ", against a partial week" if PARTIAL in states else "")
    return {"text": amount + percent + caveat, "direction": direction}


def _headline(h) -> dict[str, Any]:
    now, before, year = h.states
    return {"label": h.label, "value": _number(h.value, h.unit), "key": h.key,
            "state": now if now in (PROVISIONAL, PARTIAL) else "",
            "previous": _change(h.value, h.previous_week, h.unit, (now, before)),
            "year": _change(h.value, h.year_ago, h.unit, (now, year))}


def local_stamp(at: dt.datetime, zone: dt.tzinfo | None) -> str:
    """A moment as a reader's clock shows it ("2026-11-30 02:00 EST"); a stored naive time is UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z").strip() if zone else \
        aware.strftime("%Y-%m-%d %H:%M %Z").strip()


def _finished(at: dt.datetime, day: dt.date | None, zone: dt.tzinfo | None) -> str:
    """When a scrape finished, without repeating the day it covered."""
    stamp = local_stamp(at, zone)
    return stamp.removeprefix(f"{day.isoformat()} ") if day else stamp


def _group_title(courts: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(c, c) for c in courts)


def _card_groups(report: WeeklyReport, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The cards, one set per court system when the report pools several."""
    if not report.groups:
        return [{"title": "", "headlines": [_headline(h) for h in report.headlines]}]
    return [{"title": _group_title(g.courts, names), "headlines": [_headline(h) for h in g.headlines]}
            for g in report.groups]


def _drawing():
    """The chart module, loaded when a report is drawn: matplotlib with numpy is a fifth of the
    start-up of every command that can make a report (0.47 of 2.1 s importing the run's steps,
    measured), and most runs draw none."""
    from reports import charts

    return charts


def _zip_charts(report: WeeklyReport, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The ZIP chart, one per court system when the report pools several (their ZIP codes never mix)."""
    charts = _drawing()
    if not report.groups:
        return [{"id": "chart-zips", "title": "",
                 "svg": Markup(charts.zip_chart(report.zips)) if report.zips else None}]
    return [{"id": f"chart-zips-{i}", "title": _group_title(g.courts, names),
             "svg": Markup(charts.zip_chart(g.zips, key=f"zips-{i}")) if g.zips else None}
            for i, g in enumerate(report.groups, 1)]


def charted_from(report: WeeklyReport) -> int:
    """The first history week the charts show: the first with data (the report week if none has)."""
    return next((i for i, state in enumerate(report.week_states) if state != NO_DATA),
                len(report.week_states) - 1)


def history_span(report: WeeklyReport) -> str:
    """What the charts' weeks are: the last 52, or all since the first week with data."""
    start = charted_from(report)
    weeks = len(report.history_mondays) - start
    if weeks >= HISTORY_WEEKS:
        return f"the last {weeks} weeks"
    return f"the {weeks} week{'s' if weeks != 1 else ''} since {report.history_mondays[start].strftime('%b %d, %Y')}"


def _pending(values: Sequence[float | None], final: Sequence[bool]) -> bool:
    """Whether a median shown can still move."""
    return any(v is not None and not ok for v, ok in zip(values, final))


def _charts(report: WeeklyReport, span: str) -> dict[str, Markup]:
    """The charts, from the first week with data (weeks before it would be an empty band)."""
    start = charted_from(report)
    mondays, filings, states = report.history_mondays[start:], report.weekly_filings[start:], report.week_states[start:]
    charts = _drawing()
    return {
        "filings": Markup(charts.weekly_filings_chart(mondays, filings, report.moving_average[start:], states,
                                                      span=span)),
        "removals": Markup(charts.filings_removals_chart(mondays, filings, report.weekly_removals[start:], states,
                                                         span=span)),
        "outcomes": Markup(charts.outcomes_chart(report.outcome_labels, report.outcomes, OUTCOME_ORDER)),
        "days": Markup(charts.median_days_chart(mondays, report.median_to_hearing[start:],
                                                report.median_to_writ[start:], report.to_hearing_final[start:],
                                                report.to_writ_final[start:])),
    }


def _money(cents: int | None) -> str:
    return "–" if cents is None else f"${cents / 100:,.0f}"


def report_data(report: WeeklyReport) -> dict[str, Any]:
    """Everything the report shows, as JSON (embedded in the page for machines and tests)."""
    data = asdict(report)
    data["headlines"] = {h.key: {"value": h.value, "previous_week": h.previous_week, "year_ago": h.year_ago}
                         for h in report.headlines}
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date | dt.datetime)
                                 else str(v)))


def _script_json(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def scope_of(report: WeeklyReport, names: Mapping[str, str]) -> str:
    """The courts a report covers, by their configured names ("all courts" for every court)."""
    return ", ".join(names.get(c, c) for c in report.courts) if report.courts else "all courts"


def render_report(report: WeeklyReport, *, generated_at: dt.datetime, names: Mapping[str, str],
                  covers: str) -> str:
    """`names`: court ids to their configured names; `covers`: what the counts are of, for
    people ("eviction cases in Alexandria General District Court (unlawful detainer)").
    `generated_at` is in the readers' time zone: every time on the page is shown in it."""
    zone = generated_at.tzinfo
    span = history_span(report)
    context = {
        "r": report,
        "scope": scope_of(report, names),
        "covers": covers,
        "names": names,
        "generated": local_stamp(generated_at, zone),
        "span": span,
        "card_groups": _card_groups(report, names),
        "zip_charts": _zip_charts(report, names),
        "last_scraped": {c.court_id: _finished(c.last_ok_finished, c.last_ok_as_of, zone) for c in report.health
                         if c.last_ok_finished is not None},
        "charted_since": report.history_mondays[charted_from(report)],
        "writs_pending": _pending(report.median_to_writ, report.to_writ_final),
        "hearings_pending": _pending(report.median_to_hearing, report.to_hearing_final),
        "money": {"total": _money(report.open_money.principal_total_cents),
                  "median": _money(report.open_money.principal_median_cents)},
        "charts": _charts(report, span),
        "filers": [{"landlord": f.landlord, "filings": f.filings, "share": f"{f.share:.1%}",
                    "judgment_rate": f"{f.judgments / f.filings:.0%}" if f.filings else "–",
                    "writ_rate": f"{f.writs / f.filings:.0%}" if f.filings else "–", "serial": f.serial}
                   for f in report.filers],
        "provisional": provisional_text(report, names) if report.provisional else "",
        "data_json": _script_json(report_data(report)),
    }
    return _ENV.get_template("report.html.j2").render(context)


def provisional_text(report: WeeklyReport, names: Mapping[str, str] | None = None) -> str:
    """Why the report week's filing count will still grow, in a reader's words."""
    names = names or {}
    parts = []
    for p in report.provisional:
        court = names.get(p.court_id, p.court_id)
        if p.final_from is not None:  # the scrapes as they run will get there: say when
            parts.append(f"in {court}, 90% of cases get their first hearing within {p.lag_p90} days of filing, "
                         f"while the scrapes look {p.look_ahead} days ahead (to {p.covered_until.isoformat()}); "
                         f"it should be final from about {p.final_from.isoformat()}")
        else:  # only a scrape of the missing hearing dates will complete it
            parts.append(f"in {court}, not final: scraped only to {p.covered_until.isoformat()}, while 90% of "
                         f"cases get their first hearing within {p.lag_p90} days of filing; its count is whole "
                         f"once hearing dates through {p.needed_until.isoformat()} are scraped")
    return (f"Week {report.period} is provisional: evictwatch finds a case once one of its hearings falls in "
            f"the scrape window, so this week's filings are not all visible yet and its count will grow: "
            + "; ".join(parts) + ".")


def report_filename(period: str, courts: tuple[str, ...]) -> str:
    suffix = "-" + "+".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", c) for c in courts) if courts else ""
    return f"{period}{suffix}.html"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: WeeklyReport, folder: Path, *, generated_at: dt.datetime, names: Mapping[str, str],
                 covers: str) -> Path:
    """Writes the report into the archive folder and refreshes the index; returns the report's path."""
    path = folder / report_filename(report.period, report.courts)
    _write_atomic(path, render_report(report, generated_at=generated_at, names=names, covers=covers))
    write_index(folder)
    return path


def write_index(folder: Path) -> Path:
    entries = []
    for path in folder.glob("*.html"):
        match = _NAME.match(path.name)
        if match and path.name != "index.html":
            entries.append({"file": path.name, "period": match.group(1),
                            "scope": (match.group(2) or "").replace("+", ", ") or "all courts"})
    entries.sort(key=lambda e: (e["period"], e["scope"] != "all courts", e["scope"]), reverse=False)
    entries.sort(key=lambda e: e["period"], reverse=True)  # newest first; stable keeps the scope order
    index = folder / "index.html"
    _write_atomic(index, _ENV.get_template("index.html.j2").render(entries=entries))
    return index


def summary_text(report: WeeklyReport, scope: str, names: Mapping[str, str] | None = None) -> str:
    """The e-mail body that carries a report: the headline figures as plain text."""
    lines = [f"Eviction trends, week {report.period} ({report.monday.isoformat()} to {report.sunday.isoformat()}), "
             f"{scope}.", ""]
    for group in _card_groups(report, names or {}):
        if group["title"]:
            lines += ([""] if lines[-1] else []) + [f"{group['title']}:"]
        for h in group["headlines"]:
            state = f", {h['state']}" if h["state"] else ""
            compared = "".join(f"; vs {when} {h[key]['text']}" for key, when in (("previous", "last week"),
                                                                               ("year", "a year ago")) if h[key])
            lines.append(f"  {h['label']}: {h['value']}{state}{compared}")
    if report.provisional:
        lines += ["", provisional_text(report, names)]
    if report.warnings:
        lines += ["", "Check before relying on these numbers:"] + [f"  - {w}" for w in report.warnings]
    lines += ["", "The full report with its charts is attached as one HTML file: open it in any browser."]
    return "\n".join(lines) + "\n"
