"""Logging: one line per event; JSON when stderr is not a terminal (cron, systemd), readable on one.

Events carry their facts as fields (`log.info("court scraped", extra={"court": ..., "new": 3})`).
Logs are for operators and may be kept anywhere: they carry case numbers, court ids, counts
and delivery keys, never tenants' names or addresses.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{when} {record.levelname:<7} {record.name}: {record.getMessage()}" + (f"  {fields}" if fields else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class _Levels(logging.Filter):
    """evictwatch's own events from INFO; everything else from WARNING (INFO with --verbose)."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and record.name.split(".")[0] in _URL_LOGGERS:
            return False  # their lines carry request URLs, and a case page's URL holds its number
        if record.levelno >= logging.WARNING or self.verbose:
            return True
        return record.name == "evictwatch" or record.name.startswith("evictwatch.")


# HTTP libraries that log each request's URL at INFO/DEBUG: never kept, --verbose or not (a case
# the law erased must not linger in a log by the number in its page's address).
_URL_LOGGERS = frozenset({"httpx", "httpcore", "urllib3"})


def setup_logging(verbose: bool = False, stream=None, json_lines: bool | None = None) -> None:
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not (hasattr(stream, "isatty") and stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else HumanFormatter())
    handler.addFilter(_Levels(verbose))
    handler.set_name("evictwatch")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "evictwatch"]:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


@contextmanager
def logging_to_file(path: Path) -> Iterator[Path]:
    """evictwatch's events go to this file (JSON lines, appended, 0600) instead of the terminal
    while the block runs: a command whose summary a person reads keeps it unbroken. The handler
    it replaces is put back afterwards."""
    if not path.parent.exists():  # a log of a run names no tenant, but its folder may hold their data
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    os.chmod(path, 0o600)  # a file an older run left open to others
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_Levels(verbose=False))
    handler.set_name("evictwatch")
    root = logging.getLogger()
    replaced = [h for h in root.handlers if h.get_name() == "evictwatch"]
    for old in replaced:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        for old in replaced:
            root.addHandler(old)
