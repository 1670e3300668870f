"""The weekly list sent back through the workspace: a legal-aid user uploads the XLSX or CSV
with its Outreach columns filled in, and it is recorded for the user's partner as
`evictwatch outreach import` records it (pipeline.outreach_sheet): once, each unreadable row
named by row and column."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from pipeline.outreach_sheet import Imported, OutreachFileError, read_outreach
from pipeline.sheets import cell_line
from web.access import NAMES_SEEN, Visit, declare
from web.pages_cases import _unconfigured, partner_scope
from web.render import page

MOST_BYTES = 5 * 1024 * 1024  # a weekly list of thousands of rows is a few hundred kilobytes
SHOWN_PROBLEMS = 50


@declare("/outreach", roles=NAMES_SEEN)
async def outreach_form(request: Request, visit: Visit) -> Response:
    if partner_scope(visit) is None:
        return _unconfigured(visit)
    return page(visit, "outreach.html.j2", done=None, error=None, problems=[], more=0, name="")


@declare("/outreach", roles=NAMES_SEEN, methods=("POST",), name="import_outreach")
async def outreach_upload(request: Request, visit: Visit) -> Response:
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("file")
    name = cell_line(upload.filename if isinstance(upload, UploadFile) else "")[:120]
    suffix = Path(name).suffix.lower()
    if not isinstance(upload, UploadFile) or suffix not in (".xlsx", ".csv"):
        return _answer(visit, name, error="Choose the weekly list's .xlsx or .csv file.", status=400)
    data = await upload.read(MOST_BYTES + 1)
    if len(data) > MOST_BYTES:
        return _answer(visit, name, error=f"The file is over {MOST_BYTES // (1024 * 1024)} MB: send the weekly "
                                          "list itself, or split it.", status=413)
    courts = {c: visit.ws.courts[c].name for c in (scope.courts or visit.ws.courts) if c in visit.ws.courts}
    now = visit.ws.clock()
    try:
        done = await asyncio.to_thread(_read, visit, data, suffix, name, courts, now)
    except OutreachFileError as exc:
        return _answer(visit, name, error=str(exc), status=400)
    return _answer(visit, name, done=done)


def _read(visit: Visit, data: bytes, suffix: str, name: str, courts: dict[str, str], now) -> Imported:
    # Tenants' names are in the file: a private temporary file, gone once it is read.
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="outreach-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return read_outreach(visit.ws.db, visit.user.partner, Path(tmp), courts=courts, now=now,
                             today=now.date(), recorded_by=visit.user.email, shown_as=name or "the file")
    finally:
        os.unlink(tmp)


def _answer(visit: Visit, name: str, *, done: Imported | None = None, error: str | None = None,
            status: int = 200) -> Response:
    problems = done.problems if done else []
    return page(visit, "outreach.html.j2", status=status, done=done, error=error, name=name,
                problems=problems[:SHOWN_PROBLEMS], more=max(0, len(problems) - SHOWN_PROBLEMS))


ROUTES = [outreach_form, outreach_upload]
