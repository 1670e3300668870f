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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reports import charts
from reports.weekly import COMPLETE, OUTCOME_ORDER, PARTIAL, PROVISIONAL, WeeklyReport

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
            states: tuple[str, str] = (COMPLETE, COMPLETE)) -> dict[str, str]:
    """'+12 (+25%)' and a direction, or a dash when there is nothing to compare; a comparison
    with a week whose filings are not all visible says so."""
    if now is None or then is None:
        return {"text": "–", "direction": "none"}
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
    people ("eviction cases in Alexandria General District Court (unlawful detainer)")."""
    context = {
        "r": report,
        "scope": scope_of(report, names),
        "covers": covers,
        "names": names,
        "generated": generated_at.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "headlines": [_headline(h) for h in report.headlines],
        "money": {"total": _money(report.open_money.principal_total_cents),
                  "median": _money(report.open_money.principal_median_cents)},
        "charts": {
            "filings": Markup(charts.weekly_filings_chart(report.history_mondays, report.weekly_filings,
                                                          report.moving_average, report.week_states)),
            "removals": Markup(charts.filings_removals_chart(report.history_mondays, report.weekly_filings,
                                                             report.weekly_removals, report.week_states)),
            "outcomes": Markup(charts.outcomes_chart(report.outcome_labels, report.outcomes, OUTCOME_ORDER)),
            "zips": Markup(charts.zip_chart(report.zips)) if report.zips else None,
            "days": Markup(charts.median_days_chart(report.history_mondays, report.median_to_hearing,
                                                    report.median_to_writ)),
        },
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
        final = f"; it should be final from about {p.final_from.isoformat()}" if p.final_from else ""
        ahead = f"look {p.look_ahead} days ahead (to {p.covered_until.isoformat()})" if p.look_ahead is not None \
            else f"reach {p.covered_until.isoformat()}"
        parts.append(f"in {names.get(p.court_id, p.court_id)}, 90% of cases get their first hearing within "
                     f"{p.lag_p90} days of filing, while the scrapes {ahead}{final}")
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
    for h in map(_headline, report.headlines):
        state = f", {h['state']}" if h["state"] else ""
        lines.append(f"  {h['label']}: {h['value']}{state}; vs last week {h['previous']['text']}; "
                     f"vs a year ago {h['year']['text']}")
    if report.provisional:
        lines += ["", provisional_text(report, names)]
    if report.warnings:
        lines += ["", "Check before relying on these numbers:"] + [f"  - {w}" for w in report.warnings]
    lines += ["", "The full report with its charts is attached as one HTML file: open it in any browser."]
    return "\n".join(lines) + "\n"
