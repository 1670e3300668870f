"""The report's charts: matplotlib figures saved as inline SVG (no scripts, no network).

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies), every chart has labelled axes and a <title> for screen readers, and text stays
text (svg.fonttype none) so it is sharp, searchable and small. Math-text parsing is off: a
label is never interpreted.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from reports.weekly import COMPLETE  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
INK, GRID = "#222222", "#d9d9d9"
_RC = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_SIZE = (8.0, 3.4)


def _figure(salt: str) -> tuple[Figure, object]:
    fig = Figure(figsize=_SIZE, dpi=96, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    fig._evictwatch_salt = salt  # ids in the SVG derive from it: distinct per chart, stable per run
    return fig, ax


def _svg(fig: Figure, title: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": fig._evictwatch_salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE: this goes inline
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Scale with the page: keep the viewBox, drop the fixed size.
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", svg, count=1)
    head_end = svg.index(">") + 1
    return (svg[:head_end].replace("<svg", '<svg role="img" class="chart"', 1)
            + f"<title>{escape(title)}</title>" + svg[head_end:])


def _week_ticks(ax, mondays: Sequence[dt.date]) -> None:
    every = max(1, -(-len(mondays) // 7))  # about seven labels, however many weeks are shown
    positions = list(range(0, len(mondays), every))
    ax.set_xticks(positions, [mondays[i].strftime("%b %d\n%Y") if i == 0 or mondays[i].month == 1
                              and mondays[i].day <= 7 else mondays[i].strftime("%b %d") for i in positions])


def weekly_filings_chart(mondays: Sequence[dt.date], counts: Sequence[int | None],
                         moving_average: Sequence[float | None], states: Sequence[str] | None = None,
                         span: str = "the last 52 weeks") -> str:
    """Weeks without data (before the store's first filing) are left empty, not drawn as zero;
    weeks whose filings are not all visible (`states` other than "complete") are drawn hatched."""
    states = list(states) if states is not None else [COMPLETE] * len(mondays)
    with matplotlib.rc_context(_RC):
        fig, ax = _figure("weekly-filings")
        xs = list(range(len(mondays)))
        known = [(x, n, state) for x, n, state in zip(xs, counts, states) if n is not None]
        last = len(xs) - 1
        for wanted, colour, label in ((True, OKABE_ITO[5], "Filings that week"),
                                      (False, "#ffffff", "Not all of its filings visible yet")):
            drawn = [(x, n) for x, n, state in known if (state == COMPLETE) == wanted and x != last]
            if drawn:
                ax.bar([x for x, _ in drawn], [n for _, n in drawn], width=0.8, label=label, color=colour,
                       edgecolor=None if wanted else OKABE_ITO[5], hatch=None if wanted else "////")
        avg_x = [x for x, v in zip(xs, moving_average) if v is not None]
        if avg_x:
            ax.plot(avg_x, [v for v in moving_average if v is not None], color=OKABE_ITO[0], linewidth=2,
                    label="4-week moving average (complete weeks)")
        if counts and counts[-1] is not None:
            complete = states[-1] == COMPLETE
            ax.bar([last], [counts[-1]], width=0.8, color=OKABE_ITO[3] if complete else "#ffffff",
                   edgecolor=None if complete else OKABE_ITO[3], hatch=None if complete else "////",
                   label="Report week" if complete else f"Report week ({states[-1]})")
        if len(known) < len(xs):
            ax.axvspan(-0.5, (known[0][0] if known else len(xs)) - 0.5, color="#f1f3f4", zorder=0,
                       label="No data yet")
        _week_ticks(ax, mondays)
        ax.set_xlabel("Week (Monday)")
        ax.set_ylabel("Eviction cases filed")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_or_no_data(ax, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=9)
        return _svg(fig, f"Weekly eviction filings over {span}, with a 4-week moving average")


def filings_removals_chart(mondays: Sequence[dt.date], filings: Sequence[int | None],
                           removals: Sequence[int | None], states: Sequence[str] | None = None,
                           span: str = "the last 52 weeks") -> str:
    """Filings against removals (writs executed), week by week: how many cases end in a lockout.
    A week whose filings are not all visible yet is drawn as a hollow point off the line."""
    states = list(states) if states is not None else [COMPLETE] * len(mondays)
    with matplotlib.rc_context(_RC):
        fig, ax = _figure("filings-removals")
        xs = list(range(len(mondays)))
        whole = [(x, v) for x, v, state in zip(xs, filings, states) if v is not None and state == COMPLETE]
        part = [(x, v) for x, v, state in zip(xs, filings, states) if v is not None and state != COMPLETE]
        gone = [(x, v) for x, v in zip(xs, removals) if v is not None]
        if whole:
            ax.plot([x for x, _ in whole], [v for _, v in whole], color=OKABE_ITO[0], marker="o", markersize=3,
                    linewidth=1.6, label="Filings")
        if part:
            ax.plot([x for x, _ in part], [v for _, v in part], linestyle="none", marker="o", markersize=4,
                    markerfacecolor="white", color=OKABE_ITO[0], label="Filings, not all visible yet")
        if gone:
            ax.plot([x for x, _ in gone], [v for _, v in gone], color=OKABE_ITO[3], marker="s", markersize=3,
                    linewidth=1.6, label="Removals (writs executed)")
        _week_ticks(ax, mondays)
        ax.set_xlabel("Week (Monday)")
        ax.set_ylabel("Cases")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_or_no_data(ax, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=9)
        return _svg(fig, f"Eviction filings and removals (writs executed) per week over {span}")


# Warm colours for outcomes against the tenant, cool for outcomes for the tenant, grey for pending.
OUTCOME_COLOURS = {
    "Removed (writ executed)": "#D55E00", "Writ issued": "#E69F00", "Judgment for landlord": "#CC79A7",
    "Judgment satisfied": "#F0E442", "Appealed": "#56B4E9", "Judgment for tenant": "#009E73",
    "Dismissed / non-suited": "#0072B2", "Pending": "#9a9a9a",
}


def outcomes_chart(labels: Sequence[str], outcomes: Sequence[dict[str, int]], order: Sequence[str]) -> str:
    with matplotlib.rc_context(_RC):
        fig, ax = _figure("outcomes")
        xs = list(range(len(labels)))
        bottoms = [0] * len(labels)
        for i, outcome in enumerate(order):
            values = [o.get(outcome, 0) for o in outcomes]
            if not any(values):
                continue
            colour = OUTCOME_COLOURS.get(outcome, OKABE_ITO[i % len(OKABE_ITO)])
            ax.bar(xs, values, bottom=bottoms, color=colour, width=0.6, label=outcome,
                   edgecolor="white", linewidth=0.5)
            bottoms = [b + v for b, v in zip(bottoms, values)]
        ax.set_xticks(xs, labels)
        ax.set_xlabel("Week the cases were filed")
        ax.set_ylabel("Cases")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_or_no_data(ax, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
        return _svg(fig, "Where the cases filed 8 to 12 weeks ago stand now, by filing week")


def zip_chart(rows: Sequence[tuple[str, int]], key: str = "zips") -> str:
    """`key`: distinct for each ZIP chart of one page (the SVG's ids derive from it)."""
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(key)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        shown = list(reversed(rows))
        ax.barh(range(len(shown)), [n for _, n in shown], color=OKABE_ITO[0], height=0.7)
        ax.set_yticks(range(len(shown)), [z for z, _ in shown])
        ax.set_xlabel("Eviction cases filed")
        ax.set_ylabel("Tenant's ZIP code")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        fig.set_size_inches(_SIZE[0], max(2.0, 0.28 * len(shown) + 1.0))
        return _svg(fig, "Eviction filings by the tenant's ZIP code over the last 4 weeks")


def median_days_chart(mondays: Sequence[dt.date], to_hearing: Sequence[float | None],
                      to_writ: Sequence[float | None], hearing_final: Sequence[bool] | None = None,
                      writ_final: Sequence[bool] | None = None) -> str:
    """Weeks whose median can still move (`*_final` False: cases or writs not all seen yet) are
    drawn as hollow points on a dotted line, apart from the final ones."""
    with matplotlib.rc_context(_RC):
        fig, ax = _figure("median-days")
        xs = list(range(len(mondays)))
        for series, final, colour, marker, label, pending in (
                (to_hearing, hearing_final, OKABE_ITO[0], "o", "Filing to first hearing",
                 "Filing to first hearing, cases not all seen yet"),
                (to_writ, writ_final, OKABE_ITO[3], "s", "Judgment to writ",
                 "Judgment to writ, writs still coming (reads low)")):
            final = list(final) if final is not None else [True] * len(xs)
            points = [(x, v, ok) for x, v, ok in zip(xs, series, final) if v is not None]
            done = [(x, v) for x, v, ok in points if ok]
            if done:
                ax.plot([x for x, _ in done], [v for _, v in done], color=colour, marker=marker,
                        markersize=3, linewidth=1.6, label=label)
            for i, run in enumerate(_moving_runs(points)):
                ax.plot([x for x, _, _ in run], [v for _, v, _ in run], color=colour, linewidth=1.2,
                        linestyle=":", marker=marker, markersize=5, markerfacecolor="white",
                        markevery=[j for j, (_, _, ok) in enumerate(run) if not ok],
                        label=pending if i == 0 else None)
        _week_ticks(ax, mondays)
        ax.set_xlabel("Week (of filing, or of judgment)")
        ax.set_ylabel("Median days")
        ax.set_ylim(bottom=0)
        _legend_or_no_data(ax, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
        return _svg(fig, "Median days from filing to first hearing and from judgment to writ, by week")


def _moving_runs(points: Sequence[tuple[int, float, bool]]) -> list[list[tuple[int, float, bool]]]:
    """Each run of consecutive points (x, value, final) that are not final, with the final points
    beside it, so a dotted line continues the solid one without bridging the final weeks between
    two runs."""
    runs: list[list[tuple[int, float, bool]]] = []
    for i, point in enumerate(points):
        if point[2]:
            continue
        if i > 0 and not points[i - 1][2]:
            runs[-1].append(point)
        else:
            runs.append([points[i - 1], point] if i > 0 else [point])
        if i + 1 < len(points) and points[i + 1][2]:
            runs[-1].append(points[i + 1])
    return runs


def _legend_or_no_data(ax, **legend) -> None:
    """A legend for what was drawn; with nothing drawn, say so (not matplotlib's warning and an
    axis from -0.045 to 0.045)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**legend)
        return
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.text(0.5, 0.5, "No data yet", transform=ax.transAxes, ha="center", va="center", color="#5f6368")
