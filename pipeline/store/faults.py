"""What a failing database or disk means to the person running a command, in words.

SQLite and the operating system report a read-only file, a lock another program keeps, or a
full disk as generic errors; a command that meets one says which, what to do, and exits with
its own code (2: the setup must change; 1: try again later), never with a traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Fault(StrEnum):
    READ_ONLY = "read_only"
    CANNOT_OPEN = "cannot_open"
    LOCKED = "locked"
    DISK_FULL = "disk_full"


@dataclass(frozen=True)
class ResourceFault:
    fault: Fault
    message: str
    exit_code: int


_READ_ONLY_COMMANDS = "status, case, landlords, export, report, archive page, optout list, notify --dry-run"


def _causes(exc: BaseException):
    """The exception and what caused it, outermost first. A SQLAlchemy error carries the
    driver's as `orig` (not imported here: `--help` needs no SQLAlchemy)."""
    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None:
            return
        yield cause
        orig = getattr(cause, "orig", None)
        cause = orig if isinstance(orig, BaseException) else cause.__cause__ or cause.__context__


def classify(exc: BaseException) -> Fault | None:
    """The resource fault behind an exception (a database error or an OSError), if it is one."""
    for cause in _causes(exc):
        if isinstance(cause, sqlite3.OperationalError | sqlite3.DatabaseError):
            text = str(cause).lower()
            if "readonly" in text or "read-only" in text:
                return Fault.READ_ONLY
            if "database is locked" in text or "database table is locked" in text:
                return Fault.LOCKED
            if "disk is full" in text:
                return Fault.DISK_FULL
            if "unable to open database file" in text:
                return Fault.CANNOT_OPEN
        if isinstance(cause, OSError):
            if cause.errno in (errno.ENOSPC, errno.EDQUOT):
                return Fault.DISK_FULL
            if cause.errno == errno.EROFS:
                return Fault.READ_ONLY
    return None


def read_only_database(database: str | None) -> str:
    """What a writing command says of a database it can only read."""
    return (f"{database or 'the database'} cannot be written here (a read-only file or file system): this command "
            "writes to it. Run it where the database can be written, or use a command that only reads "
            f"({_READ_ONLY_COMMANDS}).")


def explain(exc: BaseException, database: str | None) -> ResourceFault | None:
    """The message and exit code for a resource fault met by a command; None: not one."""
    fault = classify(exc)
    where = database or "the database"
    written = _file_of(exc)
    if fault is Fault.READ_ONLY and written is not None and written != database:
        return ResourceFault(fault, f"{written} cannot be written here (a read-only file system): this command "
                                    "writes there. Give it a folder it can write (e.g. --out), or run it where "
                                    "that folder can be written.", 2)
    if fault is Fault.READ_ONLY:
        return ResourceFault(fault, read_only_database(database), 2)
    if fault is Fault.CANNOT_OPEN:
        return ResourceFault(fault, f"{where} cannot be opened: its folder or its write-ahead log and shared-memory "
                                    "files (-wal, -shm beside it) cannot be read or made here (a read-only file "
                                    "system keeps a log without its -shm unreadable). Open it once where it can be "
                                    "written, or check the folder's permissions.", 2)
    if fault is Fault.LOCKED:
        holders = lock_holders(database) if database else []
        who = ("; held by " + ", ".join(holders)) if holders else ""
        return ResourceFault(fault, f"{where} stayed locked by another program for longer than this command "
                                    f"waits{who}. Let it finish (or stop it), then run this command again.", 1)
    if fault is Fault.DISK_FULL:
        folder = str(Path(database).parent) if database else "the database's folder"
        return ResourceFault(fault, f"the disk holding {folder} is full: nothing more could be written. Free "
                                    "space there, then run the command again (what was not recorded is done "
                                    "again; nothing is sent twice).", 1)
    return None


def _file_of(exc: BaseException) -> str | None:
    """The file an OSError (or what caused the exception) names."""
    return next((str(c.filename) for c in _causes(exc) if isinstance(c, OSError) and c.filename), None)


def lock_holders(database: str) -> list[str]:
    """Other processes holding POSIX locks on the database or its WAL and shared-memory files,
    as `pid N (program)`, read from /proc/locks (Linux); [] when that cannot be told."""
    inodes = set()
    for suffix in ("", "-wal", "-shm"):
        try:
            st = os.stat(database + suffix)
        except OSError:
            continue
        inodes.add(f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}")
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids = []
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        if len(fields) >= 6 and fields[5] in inodes and fields[4].isdigit():
            pid = int(fields[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return [f"pid {pid} ({_program(pid)})" for pid in pids]


def _program(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() or "unknown program"
    except OSError:
        return "a process that has ended"
