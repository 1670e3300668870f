"""The demo's watch list: a partner's own list as one looks, written from simulated tenants the
demo just stored (synthetic people), some written as the court writes them, some the way people
write names (another order, a nickname, a typo, another ZIP code), one case number, and people
no court has sued."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from evictwatch.jobs.export import open_private
from notify.transport import private_folder
from pipeline.linkage.names import NICKNAMES, name_key
from pipeline.store.notices import eviction_cases
from pipeline.store.repo import Store

SHORT = {full: short for short, full in NICKNAMES.items() if short != full}
STRANGERS = [("Quentin Oyelaran", "22314"), ("Marisol Etxeberria", "22305")]


def write_demo_watch_list(store: Store, path: Path) -> Path:
    """Rows id W-1, W-2, ...: name, ZIP, case number (columns as a partner's spreadsheet has them)."""
    people = []
    for case in eviction_cases(store):
        if case.closed or not case.tenant or not case.tenant.zip5:
            continue
        lead = case.defendants[0]
        key = name_key(lead.name) if lead.kind in (None, "person") else None
        if key is not None and key.first and len(key.first) > 1:
            people.append((key, lead.name, case.tenant.zip5, case.case_number))
    # Only people whose name no other household shares: the demo's confident matches are clean.
    counts = Counter((k.last, k.first) for k, *_ in people)
    unique = [p for p in people if counts[(p[0].last, p[0].first)] == 1]
    rows: list[tuple[str, str, str]] = []
    used: set[str] = set()

    def take(pick) -> None:
        for key, court_name, zip5, number in unique:
            if number not in used and (row := pick(key, court_name, zip5, number)) is not None:
                used.add(number)
                rows.append(row)
                return

    take(lambda k, name, z, n: (name.title(), z, ""))                                    # as the court wrote it
    take(lambda k, name, z, n: (f"{k.first.title()} {(k.middle + '. ') if k.middle else ''}{k.last.title()}", z, ""))
    take(lambda k, name, z, n: (f"{SHORT[k.first].title()} {k.last.title()}", z, "") if k.first in SHORT else None)
    take(lambda k, name, z, n: (f"{k.last.title()}, {k.first.title()}", _other_zip(z), ""))  # moved since
    take(lambda k, name, z, n: (f"{k.last.title()}, {k.first[:2].title()}{k.first[3]}{k.first[2]}{k.first[4:].lower()}", z, "")
         if len(k.first) > 4 else None)                                                   # a typo in the first name
    take(lambda k, name, z, n: ("", "", n))                                               # a case number only
    rows += [(name, zip5, "") for name, zip5 in STRANGERS]
    private_folder(path.parent)
    with open_private(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Client ID", "Name", "ZIP", "Case number"])
        writer.writerows([f"W-{i}", *row] for i, row in enumerate(rows, start=1))
    return path


def _other_zip(zip5: str) -> str:
    return f"{(int(zip5) + 7) % 100000:05d}"
