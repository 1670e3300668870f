"""The monthly list for legal aid of cases that can still be expunged on the tenant's petition
(in Virginia: a judgment for the tenant, or a case filed before 1 July 2024 that was dismissed
or nonsuited with no order of possession), with the facts a lawyer needs to file the petition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from notify.cells import Getter, flatten
from notify.rows import table_csv, table_xlsx

WHY = {"judgment_defendant": "judgment for the tenant", "dismissed": "dismissed (filed before 1 July 2024)",
       "non_suited": "nonsuited (filed before 1 July 2024)"}


@dataclass(frozen=True, slots=True)
class EligibleCase:
    court: str          # its name, as the partner knows it
    case_number: str
    filed: dt.date
    outcome: str        # lifecycle status code of the disposition
    disposed_on: dt.date | None
    plaintiff: str | None  # as filed
    landlord: str | None   # the landlord group
    zip5: str | None       # the property's (the first tenant's address)
    court_id: str = ""     # its id in the configuration

    @property
    def why(self) -> str:
        return WHY.get(self.outcome, self.outcome.replace("_", " "))


ELIGIBLE_COLUMNS: list[tuple[str, Getter]] = [
    ("Court", lambda c: c.court),
    ("Case number", lambda c: c.case_number),
    ("Filed", lambda c: c.filed),
    ("Disposition", lambda c: c.why),
    ("Disposed on", lambda c: c.disposed_on),
    ("Plaintiff (as filed)", lambda c: c.plaintiff),
    ("Landlord group", lambda c: c.landlord),
    ("Property ZIP", lambda c: c.zip5),
]


@dataclass(frozen=True)
class EligibleList:
    subject: str
    text: str
    csv: bytes
    xlsx: bytes


def render_eligible(partner: str, month: str, cases: list[EligibleCase], *, law: str,
                    generated_at: dt.datetime) -> EligibleList:
    subject = f"Expungement by petition {month}: {len(cases)} case{'s' if len(cases) != 1 else ''} ({flatten(partner)})"
    lines = [subject, "",
             f"For {flatten(partner)}: eviction cases still held by evictwatch whose record the tenant can have "
             f"expunged by petition{f' ({law})' if law else ''}. They are not expunged by themselves. Each row has the facts a "
             "petition needs; the whole list is attached (CSV and Excel). Tenants' names are not in this list: "
             "look each case up on the court's portal by its number.", ""]
    for c in cases[:200]:
        lines.append(f"  {flatten(c.case_number)}  {flatten(c.court)}  filed {c.filed.isoformat()}  {c.why}"
                     f"{' on ' + c.disposed_on.isoformat() if c.disposed_on else ''}  plaintiff "
                     f"{flatten(c.plaintiff or '-')}  ZIP {flatten(c.zip5 or '-')}")
    if len(cases) > 200:
        lines.append(f"  ... {len(cases) - 200} more in the attachments")
    if not cases:
        lines.append("  No case can be expunged by petition this month.")
    lines += ["", f"-- evictwatch, {generated_at:%Y-%m-%d %H:%M %Z}".rstrip()]
    return EligibleList(subject, "\n".join(lines) + "\n", table_csv(ELIGIBLE_COLUMNS, cases),
                        table_xlsx(ELIGIBLE_COLUMNS, cases, title="Eligible", generated_at=generated_at))
