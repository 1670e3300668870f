"""The workspace's people, their signed-in sessions and the failed sign-ins that throttle
guessing: the store's functions for them (the web layer hashes, signs and decides; this only keeps).

A session is kept as the hash of the random id its cookie carries, so that the table read alone
(a backup, a dump) signs nobody in. Disabling a user or resetting a password ends their sessions.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from pipeline.store import models as m
from pipeline.store.handle import Database
from pipeline.store.keys import store_secret
from pipeline.store.rows import utc_now

USERS = m.WebUser.__table__
SESSIONS = m.WebSession.__table__
FAILURES = m.SignInFailure.__table__
WEB_SECRET_KEY = "web_session_secret"


class Role(str, enum.Enum):
    """What a user may see: legal aid the names in its partner's cases, the task force figures
    only, the operator the runs and the users (no tenant's data)."""

    LEGAL_AID = "legal_aid"
    TASK_FORCE = "task_force"
    OPERATOR = "operator"


class AccountExists(ValueError):
    """A user with this e-mail address is there already."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    role: Role
    partner: str | None
    password_hash: str
    totp_secret: str | None
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session found by its id: whose, since when, when last used."""

    user: User
    created_at: dt.datetime
    last_seen_at: dt.datetime
    second_factor_done: bool


def _user(row) -> User:
    return User(row.id, row.email, Role(row.role), row.partner, row.password_hash, row.totp_secret,
                bool(row.disabled), _aware(row.created_at), _aware(row.password_changed_at))


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.timezone.utc)


def add_user(db: Database, email: str, role: Role, password_hash: str, *, partner: str | None = None,
             totp_secret: str | None = None, now: dt.datetime | None = None) -> User:
    now = now or utc_now()
    values = dict(email=email.strip().lower(), role=Role(role).value, partner=partner, password_hash=password_hash,
                  totp_secret=totp_secret, disabled=False, created_at=now, password_changed_at=now)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(USERS).values(**values))
    except IntegrityError:
        raise AccountExists(f"{values['email']} has an account already: use `evictwatch users reset` "
                            "to give it a new password") from None
    found = user_by_email(db, email)
    assert found is not None
    return found


def user_by_email(db: Database, email: str) -> User | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(USERS).where(USERS.c.email == email.strip().lower())).first()
    return _user(row) if row is not None else None


def all_users(db: Database) -> list[User]:
    with db.engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(USERS).order_by(USERS.c.role, USERS.c.email))]


def disable_user(db: Database, email: str) -> bool:
    """Disabled, and signed out everywhere; False when there is no such user."""
    with db.engine.begin() as conn:
        ids = list(conn.execute(select(USERS.c.id).where(USERS.c.email == email.strip().lower())).scalars())
        if not ids:
            return False
        conn.execute(update(USERS).where(USERS.c.id == ids[0]).values(disabled=True))
        conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == ids[0]))
    return True


def reset_password(db: Database, email: str, password_hash: str, *, totp_secret: str | None = None,
                   keep_totp: bool = True, now: dt.datetime | None = None) -> bool:
    """A new password (and second factor, unless kept), enabled again, signed out everywhere."""
    values: dict = dict(password_hash=password_hash, password_changed_at=now or utc_now(), disabled=False)
    if not keep_totp:
        values.update(totp_secret=totp_secret, totp_last_step=None)
    with db.engine.begin() as conn:
        ids = list(conn.execute(select(USERS.c.id).where(USERS.c.email == email.strip().lower())).scalars())
        if not ids:
            return False
        conn.execute(update(USERS).where(USERS.c.id == ids[0]).values(**values))
        conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == ids[0]))
    return True


def use_totp_step(db: Database, user: User, step: int) -> bool:
    """Record that the code of `step` was used; False when it (or a later one) was used before."""
    with db.engine.begin() as conn:
        done = conn.execute(update(USERS).where(USERS.c.id == user.id, (USERS.c.totp_last_step.is_(None))
                                                | (USERS.c.totp_last_step < step)).values(totp_last_step=step))
    return done.rowcount == 1


def start_session(db: Database, id_hash: str, user: User, *, second_factor_done: bool,
                  now: dt.datetime | None = None) -> None:
    now = now or utc_now()
    with db.engine.begin() as conn:
        conn.execute(insert(SESSIONS).values(id_hash=id_hash, user_id=user.id, created_at=now, last_seen_at=now,
                                             second_factor_done=second_factor_done))


def session_of(db: Database, id_hash: str) -> SignedIn | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(SESSIONS, USERS).join(USERS, USERS.c.id == SESSIONS.c.user_id)
                           .where(SESSIONS.c.id_hash == id_hash)).first()
    if row is None:
        return None
    return SignedIn(_user(row), _aware(row.created_at), _aware(row.last_seen_at), bool(row.second_factor_done))


def touch_session(db: Database, id_hash: str, *, now: dt.datetime, second_factor_done: bool | None = None) -> None:
    values: dict = {"last_seen_at": now}
    if second_factor_done is not None:
        values["second_factor_done"] = second_factor_done
    with db.engine.begin() as conn:
        conn.execute(update(SESSIONS).where(SESSIONS.c.id_hash == id_hash).values(**values))


def end_session(db: Database, id_hash: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.id_hash == id_hash))


def end_stale_sessions(db: Database, *, idle_before: dt.datetime, started_before: dt.datetime) -> int:
    with db.engine.begin() as conn:
        return conn.execute(delete(SESSIONS).where((SESSIONS.c.last_seen_at < idle_before)
                                                   | (SESSIONS.c.created_at < started_before))).rowcount


def record_failure(db: Database, email: str, address: str, *, at: dt.datetime | None = None) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(FAILURES).values(at=at or utc_now(), email=email.strip().lower()[:254],
                                             address=address[:64]))


def failures_since(db: Database, email: str, address: str, since: dt.datetime) -> tuple[int, int]:
    """Failed sign-ins since `since`: (for this account, from this address)."""
    with db.engine.connect() as conn:
        by_email = conn.execute(select(func.count()).where(FAILURES.c.email == email.strip().lower()[:254],
                                                           FAILURES.c.at >= since)).scalar_one()
        by_address = conn.execute(select(func.count()).where(FAILURES.c.address == address[:64],
                                                             FAILURES.c.at >= since)).scalar_one()
    return int(by_email), int(by_address)


def forget_failures(db: Database, *, email: str | None = None, before: dt.datetime | None = None) -> None:
    """An account's failures once it signed in; everyone's older than `before`."""
    with db.engine.begin() as conn:
        if email is not None:
            conn.execute(delete(FAILURES).where(FAILURES.c.email == email.strip().lower()))
        if before is not None:
            conn.execute(delete(FAILURES).where(FAILURES.c.at < before))


def web_secret(db: Database) -> bytes:
    """The workspace's signing key, made on first start by whichever worker comes first (the
    others read it), kept in the store: every worker signs and checks cookies alike."""
    with db.engine.begin() as conn:
        return store_secret(conn, WEB_SECRET_KEY)
