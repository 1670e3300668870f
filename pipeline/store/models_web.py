"""The partner workspace's own rows (migration 0015): its users, their sessions, the sign-in
failures that throttle guessing, and the audit trail of who looked at whose case. In the store,
so that every worker of the web server shares them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class WebUser(SQLModel, table=True):
    """A person who signs in to the workspace. The password only as its Argon2 hash; the TOTP
    secret, when the user has one, is what the authenticator app was given."""

    __tablename__ = "web_users"
    __table_args__ = {"sqlite_autoincrement": True}  # an id is never given to another person

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # lower case
    role: str = Field(max_length=16)  # legal_aid | task_force | operator
    partner: str | None = Field(default=None, max_length=200)  # a legal-aid user's organisation
    password_hash: str = Field(max_length=200)
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_last_step: int | None = None  # the last code's 30-second step: a code is good once
    disabled: bool = False
    created_at: dt.datetime
    password_changed_at: dt.datetime


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie carries a random id, the store only its hash."""

    __tablename__ = "web_sessions"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="web_users.id", index=True)
    created_at: dt.datetime
    last_seen_at: dt.datetime
    second_factor_done: bool = False


class SignInFailure(SQLModel, table=True):
    """One wrong password or code, for throttling: by account and by address."""

    __tablename__ = "web_sign_in_failures"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)


class DeliveryCase(SQLModel, table=True):
    """A case one delivery carried (a weekly list, an alert digest, a docket sheet, …): the
    partner's past lists are shown again from these. An erased case's rows are deleted."""

    __tablename__ = "delivery_cases"
    __table_args__ = (Index("ix_delivery_cases_case", "court_id", "case_number"),)

    delivery_key: str = Field(primary_key=True, max_length=200)
    court_id: str = Field(primary_key=True, max_length=64)
    case_number: str = Field(primary_key=True, max_length=32)


class AuditEntry(SQLModel, table=True):
    """One view or download of personal data: who, when, which case or which list. Never a
    tenant's name; an erased case's number is replaced by its token."""

    __tablename__ = "web_audit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    user_email: str = Field(max_length=254, index=True)
    action: str = Field(max_length=32)  # case_view | search | list_view | download | api
    court_id: str | None = Field(default=None, max_length=64)
    case_number: str | None = Field(default=None, max_length=32)
    detail: str | None = Field(default=None, max_length=200)  # which list or download; never a name


class ApiToken(SQLModel, table=True):
    """A partner's key to the JSON API: only its hash is kept (it is shown once, when made)."""

    __tablename__ = "api_tokens"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200, index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


class ApiCalls(SQLModel, table=True):
    """Requests a token made in one minute: its rate limit, shared by every server process."""

    __tablename__ = "api_calls"

    token_id: int = Field(primary_key=True)
    minute: int = Field(primary_key=True)  # minutes since the epoch
    count: int = 0
