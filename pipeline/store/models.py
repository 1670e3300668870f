"""The store's tables (sqlmodel). Only the store imports these; other stages get records.

Money is kept in integer cents so SQLite and PostgreSQL agree to the cent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class CourtRow(SQLModel, table=True):
    __tablename__ = "courts"

    id: str = Field(primary_key=True, max_length=64)
    source: str = Field(max_length=32)
    code: str = Field(max_length=100)  # the portal's own court code (Virginia: FIPS), may be empty
    base_url: str = Field(max_length=500)
    timezone: str | None = Field(default=None, max_length=64)  # IANA name; its hearings' local time


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("court_id", "case_number", name="uq_cases_court_number"),
        Index("ix_cases_court_matter", "court_id", "matter_key"),
        # The trend report's ranges (migrations 0005, 0007): by filing week, by judgment week.
        Index("ix_cases_filed_court_kind", "filed_date", "court_id", "kind"),
        Index("ix_cases_judgment_date", "judgment_date"),
        # The workspace's dashboard counts from this index alone, not the table (migration 0017).
        Index("ix_cases_dashboard", "kind", "filed_date", "court_id", "erased_at", "status", "landlord_key", "zip5",
              "days_to_first_hearing"),
    )

    id: int | None = Field(default=None, primary_key=True)
    court_id: str = Field(foreign_key="courts.id", max_length=64)
    case_number: str = Field(max_length=32)
    matter_key: str = Field(max_length=32)
    filed_date: dt.date
    case_type: str = Field(max_length=100)  # as the court shows it
    kind: str = Field(default="other", max_length=16)  # scraper.vocabulary.CaseKind, decided by the adapter
    debt_type: str | None = Field(default=None, max_length=100)
    # Sections outreach does not query (service, reports, garnishment, appeal), kept whole.
    details_json: str = Field(default="{}")
    content_hash: str = Field(max_length=64)
    raw_page_id: int | None = Field(default=None, foreign_key="raw_pages.id")
    first_seen_at: dt.datetime
    last_changed_at: dt.datetime
    # Derived by the pipeline from the page (see pipeline/lifecycle.py); NULL until computed.
    status: str | None = Field(default=None, max_length=32)
    closed: bool | None = None
    continuances: int | None = None
    first_hearing_default: bool | None = None
    any_default: bool | None = None
    days_to_first_hearing: int | None = None
    judgment_date: dt.date | None = None
    days_judgment_to_writ: int | None = None
    landlord_key: str | None = Field(default=None, max_length=300, index=True)  # a search by landlord (0017)
    zip5: str | None = Field(default=None, max_length=5)  # the first tenant's, as the court gave it
    household_key: str | None = Field(default=None, max_length=300, index=True)
    # A one-way hash of the household key: what links a household's cases, and all that is left
    # of it once retention has removed a closed case's names (migration 0006).
    household_hash: str | None = Field(default=None, max_length=32, index=True)
    purged_at: dt.datetime | None = None  # when retention removed its tenants' names and addresses
    # Erased by law (migration 0009): the court expunged or sealed it. What is left is anonymous:
    # no case number (a token instead), no names, no household; its dates, outcome and amounts.
    erased_at: dt.datetime | None = None
    erased_reason: str | None = Field(default=None, max_length=16)  # expunged | vanished
    # A closed case's record is looked up by number now and then: is it still at the court?
    presence_checked_on: dt.date | None = None
    missing_since: dt.date | None = None  # the portal first said it has no such case


# "No attorney" as the courts write it (pipeline.store.notices reads a party by it too).
UNREPRESENTED = frozenset({"", "NONE", "SELF-REPRESENTED", "SELF REPRESENTED", "PRO SE"})
# A tenant with an attorney of record, as SQL both databases read alike: the partial index below
# holds only these few parties, and a query naming this very text is answered from it.
LAWYERED_DEFENDANT = ("role = 'defendant' AND attorney IS NOT NULL AND upper(trim(attorney)) NOT IN ("
                      + ", ".join(f"'{value}'" for value in sorted(UNREPRESENTED)) + ")")


class PartyRow(SQLModel, table=True):
    __tablename__ = "parties"
    __table_args__ = (Index("ix_parties_lawyered", "case_id", sqlite_where=text(LAWYERED_DEFENDANT),
                            postgresql_where=text(LAWYERED_DEFENDANT)),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False))
    role: str = Field(max_length=16)  # plaintiff | defendant
    position: int
    name: str = Field(max_length=300)
    dba: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=300)
    judgment: str | None = Field(default=None, max_length=100)
    attorney: str | None = Field(default=None, max_length=300)
    kind: str | None = Field(default=None, max_length=16)  # person | organization | occupants
    norm_name: str | None = Field(default=None, max_length=300)
    last_name: str | None = Field(default=None, max_length=120)
    first_name: str | None = Field(default=None, max_length=120)
    middle_name: str | None = Field(default=None, max_length=120)
    suffix: str | None = Field(default=None, max_length=16)
    trade_name: str | None = Field(default=None, max_length=300)
    care_of: str | None = Field(default=None, max_length=300)
    all_occupants: bool | None = None
    street: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(default=None, max_length=60)
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=2)
    zip5: str | None = Field(default=None, max_length=5, index=True)  # a search by ZIP code (0017)
    # The name folded as a person searches for it (ASCII capitals, a nickname read as its name).
    last_fold: str | None = Field(default=None, max_length=120, index=True)
    first_fold: str | None = Field(default=None, max_length=120)


class HearingRow(SQLModel, table=True):
    __tablename__ = "hearings"
    __table_args__ = (Index("ix_hearings_date_result", "date", "result_code"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False))
    position: int
    date: dt.date = Field(index=True)
    time: dt.time | None = None
    result: str | None = Field(default=None, max_length=100)
    type: str | None = Field(default=None, max_length=100)
    courtroom: str | None = Field(default=None, max_length=100)
    result_code: str | None = Field(default=None, max_length=32)  # closed vocabulary; `result` keeps the raw text
    judicial_officer: str | None = Field(default=None, max_length=200)


class JudgmentRow(SQLModel, table=True):
    __tablename__ = "judgments"
    __table_args__ = (Index("ix_judgments_writ_issued", "writ_issued_date"),
                      Index("ix_judgments_writ_executed", "writ_executed_date"))

    case_id: int = Field(sa_column=Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True))
    judgment: str | None = Field(default=None, max_length=100)
    judgment_code: str | None = Field(default=None, max_length=32)
    principal_cents: int | None = None
    costs_cents: int | None = None
    attorney_fees_cents: int | None = None
    other_amount_cents: int | None = None
    interest_award: str | None = Field(default=None, max_length=100)
    possession: bool | None = None
    writ_issued_date: dt.date | None = None
    writ_executed_date: dt.date | None = None
    homestead_exemption_waived: bool | None = None
    fifa_issued_date: dt.date | None = None
    satisfied: bool | None = None
    satisfaction_filed_date: dt.date | None = None
    other_awarded: str | None = Field(default=None, max_length=300)
    further_case_information: str | None = None


class RawPageRow(SQLModel, table=True):
    __tablename__ = "raw_pages"
    __table_args__ = (
        UniqueConstraint("court_id", "request_key", "content_hash", name="uq_raw_pages_request_content"),
        Index("ix_raw_pages_case", "court_id", "case_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    court_id: str = Field(max_length=64)
    url: str = Field(max_length=1000)
    method: str = Field(max_length=8)
    request_key: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    status: int
    case_number: str | None = Field(default=None, max_length=32)
    content_hash: str = Field(max_length=64)
    body_gz: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    fetched_at: dt.datetime


class ScrapeRun(SQLModel, table=True):
    __tablename__ = "scrape_runs"

    id: int | None = Field(default=None, primary_key=True)
    court_id: str = Field(max_length=64, index=True)
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    since: dt.date
    until: dt.date
    outcome: str = Field(default="running", max_length=16)  # running | ok | failed
    result_pages: int = 0
    detail_pages: int = 0
    requests: int = 0
    retries: int = 0
    throttled: int = 0
    cases_seen: int = 0
    new_cases: int = 0
    updated_cases: int = 0
    unchanged_cases: int = 0
    bad_case_numbers: int = 0
    layout_errors: int = 0
    error_text: str | None = None
    mode: str | None = Field(default=None, max_length=16)  # full | incremental
    as_of: dt.date | None = None  # the run's "today" (the court's clock, or --today)
    rechecked: int | None = None
    unknown_values: int | None = None
    run_id: int | None = Field(default=None, index=True)  # the `evictwatch run` it was part of, if any
    error_kind: str | None = Field(default=None, max_length=64)  # the exception's class: LayoutError, GateError...
    days_walked: int | None = None  # hearing dates walked (a run within a host's budget walks ranges of them)


class Run(SQLModel, table=True):
    """One `evictwatch run` (a full cycle), from whatever started it."""

    __tablename__ = "runs"

    id: int | None = Field(default=None, primary_key=True)
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    today: dt.date  # the run's day (the court's clock, or --today)
    trigger: str = Field(max_length=16)  # cli | scheduler
    pid: int
    host: str = Field(max_length=200)
    outcome: str = Field(default="running", max_length=16, index=True)  # running | ok | failed | abandoned
    courts_ok: int = 0
    courts_failed: int = 0
    sent: int = 0  # e-mails sent by this run
    error_text: str | None = None


class Alarm(SQLModel, table=True):
    """A condition the operators are told about once when it is raised and once when it clears."""

    __tablename__ = "alarms"

    key: str = Field(primary_key=True, max_length=200)  # "kind|court" (court empty for system-wide ones)
    kind: str = Field(max_length=32)
    court_id: str | None = Field(default=None, max_length=64)
    state: str = Field(max_length=16, index=True)  # raised | cleared
    detail: str
    raised_at: dt.datetime
    cleared_at: dt.datetime | None = None
    updated_at: dt.datetime


class Landlord(SQLModel, table=True):
    """A landlord group: plaintiff spellings judged to be one filer (pipeline/landlords.py)."""

    __tablename__ = "landlords"

    id: str = Field(primary_key=True, max_length=32)
    canonical_name: str = Field(max_length=300)
    key: str = Field(max_length=300)
    case_count: int = 0


class LandlordAlias(SQLModel, table=True):
    __tablename__ = "landlord_aliases"

    key: str = Field(primary_key=True, max_length=300)  # landlord_key of a plaintiff spelling
    landlord_id: str = Field(foreign_key="landlords.id", max_length=32, index=True)


class CaseEvent(SQLModel, table=True):
    """A change seen on a case's page, written once, with where and when it was first seen."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False))
    kind: str = Field(max_length=32)  # first_seen | hearing_added | hearing_removed | hearing_result | judgment | status | appeal
    field: str | None = Field(default=None, max_length=64)
    old_value: str | None = None
    new_value: str | None = None
    raw_page_id: int | None = Field(default=None, foreign_key="raw_pages.id")
    seen_at: dt.datetime


class Delivery(SQLModel, table=True):
    """The notifier's ledger: intent before a send, outcome after; one row per (partner, kind, period)."""

    __tablename__ = "deliveries"

    key: str = Field(primary_key=True, max_length=200)  # "partner|kind|period"
    partner: str = Field(max_length=200)
    kind: str = Field(max_length=32)  # weekly_list | urgent_alerts | weekly_report | operators
    period: str = Field(max_length=32)  # e.g. 2026-W48, or a run's date for alerts
    state: str = Field(max_length=16, index=True)  # sending | sent | failed | unknown | expired
    message_id: str = Field(max_length=200)
    transport: str = Field(max_length=16)
    attempts: int = 0
    rows: int = 0
    receipt: str | None = None
    error: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class OptOut(SQLModel, table=True):
    """A household that asked not to be contacted: it never appears in a list or alert again."""

    __tablename__ = "opt_outs"

    id: int | None = Field(default=None, primary_key=True)
    household_key: str = Field(max_length=300, index=True)
    case_number: str | None = Field(default=None, max_length=32)  # the case it was asked from, if any
    reason: str | None = None
    created_at: dt.datetime


class AlertClaim(SQLModel, table=True):
    """One alert fact (a case's writ, default judgment or unrepresented hearing) given to one
    partner's digest. A fact is alerted once per partner: it is free again only while the
    delivery that claimed it failed or was never recorded."""

    __tablename__ = "alert_claims"
    __table_args__ = (UniqueConstraint("partner", "fact_key", name="uq_alert_claims_partner_fact"),
                      Index("ix_alert_claims_delivery", "delivery_key"))

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200)
    fact_key: str = Field(max_length=200)  # "court|case number|kind|date"
    delivery_key: str = Field(max_length=200)
    court_id: str = Field(max_length=64)
    case_number: str = Field(max_length=32)
    kind: str = Field(max_length=48)
    fact_date: dt.date | None = None
    claimed_at: dt.datetime


class CaseRecipient(SQLModel, table=True):
    """Which partner was given which case (a list, an alert, a docket sheet, a calendar feed,
    a watch-list digest): whom to ask to delete it should the court erase it."""

    __tablename__ = "case_recipients"
    __table_args__ = (UniqueConstraint("partner", "court_id", "case_number", name="uq_case_recipients"),
                      Index("ix_case_recipients_case", "court_id", "case_number"))

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200)
    court_id: str = Field(max_length=64)
    case_number: str = Field(max_length=32)
    first_at: dt.datetime


class Recall(SQLModel, table=True):
    """A recall owed: a partner must delete a case the court erased. Kept until it is sent."""

    __tablename__ = "recalls"
    __table_args__ = (UniqueConstraint("partner", "court_id", "case_number", name="uq_recalls"),)

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200, index=True)
    court_id: str = Field(max_length=64)
    case_number: str = Field(max_length=32)
    owed_on: dt.date
    delivery_key: str | None = Field(default=None, max_length=200)  # the recall notice that carries it


class PurgeCount(SQLModel, table=True):
    """How many cases' personal data a purge removed, and why: counts, never names or numbers."""

    __tablename__ = "purge_counts"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    reason: str = Field(max_length=16)  # retention | expunged | vanished
    cases: int



class HostRate(SQLModel, table=True):
    """The request rate a court's host was last scraped at, where the host allowed less than
    configured (the adaptive limiter's learning): the next run starts there."""

    __tablename__ = "host_rates"

    host: str = Field(primary_key=True, max_length=255)
    configured_per_s: float
    learned_per_s: float
    lowest_per_s: float  # the lowest the last run went
    throttled: int = 0  # throttle answers in the last run
    updated_at: dt.datetime


from pipeline.store.models_shared import HostBudget, QueueWorker  # noqa: E402,F401  (one metadata)
from pipeline.store.models_contacts import ContactAttempt  # noqa: E402,F401  (one metadata)
from pipeline.store.models_keys import StoreKey  # noqa: E402,F401  (one metadata)
from pipeline.store.models_watch import WatchEntry, WatchMatch  # noqa: E402,F401  (one metadata)
from pipeline.store.models_web import (ApiCalls, ApiToken, AuditEntry, DeliveryCase,  # noqa: E402,F401
                                       SignInFailure, WebSession, WebUser)  # (one metadata)
from pipeline.store.models_courts import DeferredWork, ListedCourt  # noqa: E402,F401  (one metadata)
