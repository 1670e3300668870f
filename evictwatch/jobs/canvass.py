"""A partner's canvass sheet: the week's new eviction filings by building, for organizers who
knock on doors where the court publishes no street (Virginia's portal shows a city and ZIP).

A building is the landlord's trading-as name within its landlord group (pipeline.store.canvass);
a staff-edited `properties.yaml` beside `landlords.yaml` gives a trading-as name its street
address and units, and the sheet then shows filings per 100 units:

    properties:
      - trading_as: THE BRADDOCK
        address: 1200 Braddock Pl, Alexandria, VA 22314
        units: 240
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.contacts import partner_courts
from evictwatch.jobs.docket import print_pdf
from evictwatch.jobs.export import open_private
from notify.render import environment
from notify.transport import private_folder
from pipeline.store.canvass import NO_TRADE_NAME, Building, buildings
from pipeline.store.contacts import clean_note
from pipeline.store.repo import Store

PROPERTIES_FILE = "properties.yaml"
_TRADING_AS = re.compile(r"\s+T/A\s+", re.IGNORECASE)


class PropertiesError(Exception):
    """properties.yaml cannot be read (said with where and what to write)."""


@dataclass(frozen=True)
class Property:
    address: str
    units: int | None


@dataclass
class CanvassSheet:
    html_path: Path
    pdf_path: Path
    buildings: int
    cases: int
    unmapped: int  # buildings with a trading-as name properties.yaml does not know


def properties_path(config: AppConfig) -> Path:
    return config.overrides_path().parent / PROPERTIES_FILE


def load_properties(path: Path) -> dict[str, Property]:
    """Trading-as names (upper case) to their street address and units; no file, none."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PropertiesError(f"{path}: not YAML ({exc}); see docs/outreach.md#canvass-sheets") from None
    rows = data.get("properties") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise PropertiesError(f"{path}: write a `properties:` list of {{trading_as, address, units}}")
    found = {}
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not str(row.get("trading_as") or "").strip() or not row.get("address"):
            raise PropertiesError(f"{path}: property {n} needs `trading_as` and `address`")
        units = row.get("units")
        if units is not None and (not isinstance(units, int) or units <= 0):
            raise PropertiesError(f"{path}: property {n} ({row['trading_as']}): `units` is a whole number above 0")
        found[" ".join(str(row["trading_as"]).upper().split())] = Property(clean_note(str(row["address"])) or "", units)
    return found


def _section(b: Building, known: dict[str, Property]) -> dict:
    place = known.get(" ".join(b.trading_as.upper().split())) if b.trading_as else None
    landlord = _TRADING_AS.split(b.landlord)[0]  # a group named as filed: "X LLC T/A THE BRADDOCK"
    title = (f"{b.trading_as} ({landlord})" if b.trading_as and landlord and b.trading_as != landlord
             else b.trading_as or f"{landlord or 'landlord not named'} (no building named)")
    return {"title": clean_note(title), "count": len(b.cases), "address": place.address if place else "",
            "units": place.units if place else None,
            "per_100": f"{100 * len(b.cases) / place.units:.1f}" if place and place.units else "",
            "hearings": ", ".join(f"{d:%a} {d.isoformat()}" for d in b.hearing_days),
            "cases": [{"case_number": c.case_number, "hearing": c.first_hearing.isoformat() if c.first_hearing else "",
                       "tenants": "; ".join(clean_note(t) or "" for t in c.tenants), "zip5": c.zip5 or ""}
                      for c in sorted(b.cases, key=lambda c: (c.first_hearing or dt.date.max, c.case_number))]}


def make_canvass(config: AppConfig, store: Store, partner: PartnerConfig, *, monday: dt.date, week: str,
                 now: dt.datetime, out: Path | None = None) -> CanvassSheet:
    known = load_properties(properties_path(config))
    courts = partner_courts(config, partner)
    found = buildings(store, courts, monday, monday + dt.timedelta(days=6), zips=frozenset(partner.filters.zips),
                      opted_out=store.ledger.opted_out_households())
    sections = [_section(b, known) for b in found]
    unmapped = sorted({b.trading_as for b in found if b.trading_as != NO_TRADE_NAME
                       and " ".join(b.trading_as.upper().split()) not in known})
    html = environment().get_template("canvass.html.j2").render(
        partner=clean_note(partner.name), week=week, since=monday.isoformat(),
        until=(monday + dt.timedelta(days=6)).isoformat(), total=sum(s["count"] for s in sections),
        courts=", ".join(config.court(c).display_name for c in courts), generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        buildings=sections, unmapped=", ".join(unmapped))
    pdf = print_pdf(html, config.scrape.chromium_path)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in partner.name)
    folder = private_folder(out or config.reports_path().parent / "canvass" / safe)
    paths = (folder / f"canvass-{week}.html", folder / f"canvass-{week}.pdf")
    for path, data in zip(paths, (html.encode("utf-8"), pdf)):
        with open_private(path, "wb") as fh:  # tenants' names: 0600, also a sheet written before
            fh.write(data)
    return CanvassSheet(paths[0], paths[1], len(found), sum(len(b.cases) for b in found), len(unmapped))
