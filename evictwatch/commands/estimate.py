"""`evictwatch estimate cost-to-stop`: what paying every coming filing's judgment would cost."""

from __future__ import annotations

import datetime as dt
import json

import typer

from evictwatch.commands.common import Globals, check_courts, fail, local_today, out, parse_day
from evictwatch.commands.database import existing_store
from pipeline.store.estimates import CostToStop, cost_to_stop

estimate_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                           help="Estimates from the stored cases, with every assumption printed.")


@estimate_app.command("cost-to-stop")
def cost_to_stop_command(
    ctx: typer.Context,
    until: str = typer.Option(..., "--until", help="The last day the filings are counted to (YYYY-MM-DD)."),
    court: list[str] = typer.Option(None, "--court", help="Only this court (repeatable); default every court."),
    today: str = typer.Option(None, "--today", help="Count from the day after this one; default today."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of text."),
) -> None:
    """Expected eviction filings until a day, times the judgment principal courts published."""
    g: Globals = ctx.obj
    config = g.config()
    courts = check_courts(config, court) or [c.id for c in config.courts]
    start = parse_day(today, "--today") or local_today(config)
    last = parse_day(until, "--until")
    if last <= start:
        fail(f"--until {last.isoformat()} is not after {start.isoformat()}", code=2)
    estimate = cost_to_stop(existing_store(g), start, last, courts)
    if as_json:
        out.print_json(json.dumps(estimate.as_json()))
        return
    names = ", ".join(config.court(c).name or c for c in courts)
    for line in estimate_lines(estimate, names):
        out.print(line, highlight=False)


def dollars(amount: float) -> str:
    return f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}"


def estimate_lines(e: CostToStop, courts: str) -> list[str]:
    lines = [f"cost to stop the eviction filings from {(e.today + dt.timedelta(days=1)).isoformat()} to {e.until.isoformat()} "
             f"({e.weeks_ahead:.1f} weeks), {courts}:"]
    if e.filings_per_week is None:
        lines.append("  no estimate: no week's filings are all seen yet (the scrapes have not covered a whole week)")
    else:
        lines.append(f"  expected filings: {e.expected_filings:,.0f} (low {e.low_filings:,.0f}, high "
                     f"{e.high_filings:,.0f}; {e.filings_per_week:.1f} a week)")
        if e.at_median is None:
            lines.append("  no estimate: no judgment for the landlord in those weeks has a published principal")
        else:
            lines.append(f"  at the median judgment principal ({dollars(e.median_principal)}): {dollars(e.at_median)} "
                         f"(low {dollars(e.at_median_low)}, high {dollars(e.at_median_high)})")
            lines.append(f"  at the mean judgment principal ({dollars(e.mean_principal)}): {dollars(e.at_mean)}")
    lines.append("assumptions:")
    lines += [f"  - {a}" for a in e.assumptions()]
    return lines


commands = typer.Typer(rich_markup_mode=None)
commands.add_typer(estimate_app, name="estimate")
