"""The fault soak (bench/soak.py, tests/test_soak.py) beside the rest of the suite.

The soak spends half its minute or more waiting (its Virginia portal allows 5 requests a second,
its runs are killed and started again), and a worker waiting on it would leave a core idle that
long. Under pytest-xdist the controller starts it as soon as the workers have collected the soak's
test (`start_if_selected`, from tests/conftest.py) and it runs while the workers run the other
files; the test, handed out last, reads its outcome (`outcome`). The controller stops it when the
session ends, whatever happened (`stop`). Without xdist the test runs the soak itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SOAK = Path(__file__).resolve().parents[1] / "bench" / "soak.py"
COMMAND = [sys.executable, str(SOAK), "--cycles", "2", "--seed", "7", "--kill-within", "8"]
TEST_FILE = "test_soak.py"
FOLDER_VARIABLE = "EVICTWATCH_TEST_SOAK_FOLDER"  # the controller's, inherited by the workers it starts

_started: dict[str, object] = {}  # in the controller: "folder", then "process"


def prepare() -> None:
    """In the controller, before its workers start: where the soak's outcome will be written."""
    if "folder" not in _started:
        _started["folder"] = os.environ[FOLDER_VARIABLE] = tempfile.mkdtemp(prefix="evictwatch-soak-")


def start_if_selected(ids) -> None:
    """In the controller, when a worker has collected: start the soak once if its test is to run."""
    selected = any(i.split("::")[0].endswith(TEST_FILE) for i in ids)
    if "folder" not in _started or "process" in _started or not selected:
        return
    folder = Path(_started["folder"])
    _started["process"] = None  # tried once, whatever comes of it
    try:
        with open(folder / "output", "w", encoding="utf-8") as output:
            process = subprocess.Popen(COMMAND, stdout=output, stderr=subprocess.STDOUT, text=True,
                                       start_new_session=True)  # its runs and browsers are stopped with it
    except OSError as exc:
        _write(folder / "returncode", f"could not start {COMMAND}: {exc}")
        return
    _started["process"] = process

    def settle() -> None:
        _write(folder / "returncode", str(process.wait()))

    threading.Thread(target=settle, name="soak", daemon=True).start()


def stop() -> None:
    """In the controller, at the end of the session (also after a failure or an interrupt)."""
    process = _started.pop("process", None)
    if isinstance(process, subprocess.Popen) and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the soak and every run and browser it started
        process.wait()
    folder = _started.pop("folder", None)  # only the controller made one
    if folder is not None:
        os.environ.pop(FOLDER_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)


def outcome(timeout_s: float) -> tuple[int, str] | None:
    """In the test: (exit code, output) of the soak the controller started; None when none was
    (no xdist: the test runs it). Raises TimeoutError when it has not ended within `timeout_s`."""
    folder = Path(os.environ.get(FOLDER_VARIABLE, "/nonexistent"))
    if not (folder / "output").exists() and not (folder / "returncode").exists():
        return None  # not started by this session's controller
    deadline = time.monotonic() + timeout_s
    while not (folder / "returncode").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the soak started by the controller had not ended after {timeout_s:g} s")
        time.sleep(0.5)
    code = (folder / "returncode").read_text(encoding="utf-8")
    output = (folder / "output").read_text(encoding="utf-8", errors="replace") if (folder / "output").exists() else ""
    if not code.lstrip("-").isdigit():
        return -1, code + "\n" + output
    return int(code), output


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)  # the test never reads half a file
