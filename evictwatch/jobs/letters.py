"""A partner's letters to the tenants of its new eviction cases, where the court published their
street: printed to PDF with label sheets and a mail house's CSV, each recorded as outreach.

Which cases: eviction cases of the partner's courts (and ZIP codes, if it keeps to some) filed
since its last letters run (a first run: the 7 days up to today) — and, not written to yet, any
filed in the RECENT_DAYS before today, so that a case the scrapes found late, or whose hearing
was set late, still gets its letter while there is time — still open, whose first hearing
is at least `min_days_before_hearing` days away, whose household has not opted out, and that it
never wrote to before. One letter a household (an address) a case. A case whose tenants the court
shows without a street gets none and is counted: an address is never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.contacts import partner_courts
from evictwatch.jobs.docket import print_pdfs
from evictwatch.jobs.export import open_private
from notify.letters import ENGLISH, SPANISH, Letter, Sender, Wording, mail_house_csv, render_labels, render_letters
from notify.transport import private_folder
from pipeline.store.contacts import Attempt, Method, Result, record_attempts
from pipeline.store.ledger import DeliveryKey, DeliveryState
from pipeline.store.mailing import LetterCase, lettered_cases, new_cases_with_tenants
from pipeline.store.repo import Store

KIND = "letters"
FIRST_RUN_DAYS = 7
RECENT_DAYS = 14
RECORDED_BY = "evictwatch letters"


class LettersError(Exception):
    """Letters cannot be written for this partner (said with what to do)."""


@dataclass
class LettersRun:
    since: dt.date
    cases: int = 0  # new eviction cases of the partner's courts in the window
    letters: int = 0
    lettered_cases: int = 0
    no_street: int = 0  # the court shows no tenant's street: no letter, never a guessed address
    too_soon: int = 0  # the first hearing is sooner than min_days_before_hearing, or passed
    no_hearing: int = 0  # no hearing set yet: a letter could not say when
    opted_out: int = 0
    written_before: int = 0
    files: list[Path] = field(default_factory=list)


def _wording(own, default: Wording) -> Wording:
    return Wording(own.greeting or default.greeting, own.body or default.body, own.closing or default.closing)


def sender_of(partner: PartnerConfig) -> Sender:
    settings = partner.letters
    return Sender(partner.name, tuple(settings.return_address) or (partner.name,), settings.phone,
                  settings.signature or partner.name, _wording(settings.english, ENGLISH),
                  _wording(settings.spanish, SPANISH))


def _letters_of(config: AppConfig, partner: PartnerConfig, case: LetterCase, households: list) -> list[Letter]:
    court = config.court(case.court)
    where = [partner.letters.court_addresses.get(case.court, ""), case.courtroom or ""]
    place = ", ".join(part for part in where if part.strip())
    return [Letter(case.case_number if len(households) == 1 else f"{case.case_number}-{n}", case.court,
                   court.name or court.id, case.case_number, case.first_hearing, case.hearing_time, place,
                   h.names, h.all_occupants, h.street, h.unit, h.city, h.state, h.zip5)
            for n, h in enumerate(households, start=1)]


def _run_folder(base: Path, today: dt.date) -> Path:
    """A run's own folder: a second run the same day never writes over the first's letters."""
    folder, n = base / today.isoformat(), 1
    while folder.exists():
        n += 1
        folder = base / f"{today.isoformat()}-{n}"
    return folder


def _write(path: Path, data: bytes) -> Path:
    with open_private(path, "wb") as fh:  # tenants' names and streets
        fh.write(data)
    return path


def write_letters(config: AppConfig, store: Store, partner: PartnerConfig, *, today: dt.date, now: dt.datetime,
                  out: Path | None = None) -> LettersRun:
    if partner.letters is None:
        raise LettersError(f"partner {partner.name!r} has no `letters:` entry in the configuration: add one "
                           "(`letters: {}` for the defaults) to write letters for it")
    settings = partner.letters
    last = store.ledger.last_sent(partner.name, KIND)
    since = (min(last.date(), today - dt.timedelta(days=RECENT_DAYS)) if last
             else today - dt.timedelta(days=FIRST_RUN_DAYS))
    run = LettersRun(since)
    opted_out = store.ledger.opted_out_households()
    written = lettered_cases(store, partner.name)
    zips = set(partner.filters.zips)
    letters: list[Letter] = []
    chosen: list[LetterCase] = []
    for case in new_cases_with_tenants(store, partner_courts(config, partner), since, today):
        households = [h for h in case.households if not zips or h.zip5 in zips]
        if zips and case.households and not households:
            continue  # another partner's ZIP codes
        run.cases += 1
        if (case.court, case.case_number) in written:
            run.written_before += 1
        elif case.household_key in opted_out:
            run.opted_out += 1
        elif not case.households:
            run.no_street += 1
        elif case.first_hearing is None:
            run.no_hearing += 1
        elif (case.first_hearing - today).days < settings.min_days_before_hearing:
            run.too_soon += 1
        else:
            chosen.append(case)
            letters += _letters_of(config, partner, case, households)
    run.letters, run.lettered_cases = len(letters), len(chosen)
    if letters:
        run.files = _print(config, partner, letters, out, today)
    # Recorded once the files exist: a failed print records nothing, and the next run tries again.
    record_attempts(store, partner.name, [Attempt(c.court, c.case_number, today, Method.LETTER, Result.SENT)
                                          for c in chosen], recorded_by=RECORDED_BY, at=now)
    key = DeliveryKey(partner.name, KIND, now.isoformat(timespec="seconds"))
    target = str(run.files[0].parent) if run.files else None
    store.ledger.intend(key, message_id=f"{KIND}:{key}", transport="print", rows=len(letters),
                        cases=[(c.court, c.case_number) for c in chosen], target=target)
    store.ledger.outcome(key, DeliveryState.SENT, receipt=target)
    return run


def _print(config: AppConfig, partner: PartnerConfig, letters: list[Letter], out: Path | None,
           today: dt.date) -> list[Path]:
    sender = sender_of(partner)
    printed, labels = print_pdfs([render_letters(letters, sender), render_labels(letters)],
                                 config.scrape.chromium_path)
    base = private_folder(out or config.partner_letters_path(partner))
    folder = private_folder(_run_folder(base, today))
    return [_write(folder / "letters.pdf", printed), _write(folder / "labels-avery-5160.pdf", labels),
            _write(folder / "mail-house.csv", mail_house_csv(letters))]
