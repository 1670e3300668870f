from __future__ import annotations

import datetime as dt
import gc
import importlib.util
import os
import signal
import sys
import uuid
from pathlib import Path

# --- the network guard: nothing a test runs may reach beyond this machine ---------------------
# In this process pytest-socket (pyproject's addopts: --allow-hosts) refuses connect() to any
# host but 127.0.0.1, ::1 and localhost, and tests/netguard refuses connect_ex() and name
# lookups too. Every Python process a test starts imports tests/netguard/sitecustomize.py (on
# PYTHONPATH) and refuses the same; Chromium gets host resolver rules that resolve nothing but
# 127.0.0.1 (scraper/browser.py adds EVICTWATCH_CHROMIUM_EXTRA_ARGS to its flags).
NETGUARD = Path(__file__).parent / "netguard"
CHROMIUM_TEST_ARGS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
_GUARD_VARIABLES = ("PYTHONPATH", "EVICTWATCH_CHROMIUM_EXTRA_ARGS")
_environment_before = {name: os.environ.get(name) for name in _GUARD_VARIABLES}


def _guard_environment() -> None:
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(NETGUARD) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(NETGUARD), *paths])
    os.environ["EVICTWATCH_CHROMIUM_EXTRA_ARGS"] = CHROMIUM_TEST_ARGS


# Now, before the test modules are collected: scraper.browser reads its variable when imported.
_guard_environment()

# --- Ctrl-C as from a terminal -----------------------------------------------------------------
# A shell without job control starts a background command with SIGINT ignored, and an ignored
# signal stays ignored in every process started from it: `evictwatch sim` would then never see the
# Ctrl-C its tests send (a suite started in the background failed them, taken for slowness under
# load). Caught here, SIGINT is back to its default in every process the tests start.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from pipeline.store import db  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from tests import soak_background  # noqa: E402
from tests.netguard.sitecustomize import install as install_netguard  # noqa: E402

install_netguard()

# The tests build large, short-lived object graphs (every scraped page is parsed into a tree) next
# to long-lived ones (imports, module fixtures). Python's default thresholds rescan the long-lived
# objects dozens of times a minute: 15% of the suite's time went to that. Fewer, larger young
# collections, and objects alive after collection moved out of the collector's way
# (pytest_collection_finish), cut that to a third. Only when garbage is freed changes.
gc.set_threshold(5000, 20, 100)

# httpcore asks `import sniffio` at every request of every async client, and where sniffio is not
# installed each ask searches the whole sys.path again before failing (~0.2 ms; a scrape against
# a simulator makes tens of thousands of them: ~5% of its time). A module known to be absent is
# refused at once; the answer is the same (asyncio). Nothing changes where sniffio is installed.
if importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]


# The longest files first: with --no-loadscope-reorder (scripts/test) xdist hands files out in
# collection order, and a long one handed out last would run alone while the other worker idles
# (longest first as measured, those over ~10% of the longest). The soak's file comes last: under
# xdist it reads the outcome of a soak that ran beside everything else (tests/soak_background.py).
LONGEST_FIRST = ("test_demo.py", "test_run_cycle.py", "test_distributed.py", "test_resource_faults.py",
                 "test_web_access.py", "test_expungement_sim.py", "test_tyler_odyssey_scrape.py",
                 "test_pipeline_sim.py", "test_web_browser.py", "test_web_cli.py", "test_watch_import_scale.py",
                 "test_config_whole.py", "test_integration_sim.py")
LAST = ("test_soak.py",)


def pytest_collection_modifyitems(session, config, items) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    rank |= {name: len(LONGEST_FIRST) + 1 + i for i, name in enumerate(LAST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONGEST_FIRST)))  # stable: the rest keep their order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs) -> None:
    """The xdist controller, before its workers start (they inherit its environment)."""
    soak_background.prepare()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    """The xdist controller, as each worker has collected: the soak starts now if it is to run."""
    if not node.config.option.collectonly:
        soak_background.start_if_selected(ids)


def pytest_sessionfinish(session, exitstatus) -> None:
    soak_background.stop()  # the controller's soak, if any, whatever happened; nothing in a worker


def pytest_collection_finish(session) -> None:
    gc.collect()
    gc.freeze()


# scripts/test sets this; the default is the local cluster's trust login on this kind of machine.
PG_URL = os.environ.get("EVICTWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SIM_TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="session", autouse=True)
def network_guard():
    """Children inherit os.environ: PYTHONPATH loads tests/netguard/sitecustomize.py in every
    Python process a test starts, and Chromium's extra flags keep its resolver local."""
    _guard_environment()
    yield
    for name, value in _environment_before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _children(pid: int) -> list[int]:
    """A process's children, from every one of its threads (Linux's /proc/PID/task/TID/children)."""
    found = []
    try:
        tasks = list((Path("/proc") / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _descendants() -> dict[int, str]:
    """This process's live descendants (pid -> command line); zombies are already dead."""
    found: dict[int, str] = {}
    todo = _children(os.getpid())
    while todo:
        pid = todo.pop()
        proc = Path("/proc") / str(pid)
        try:
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            found[pid] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:200]
        except OSError:
            continue
        todo += _children(pid)
    return found


@pytest.fixture(autouse=True)
def _no_process_left_behind():
    """A test's processes end with it, also when it fails: cli() processes still running are
    killed, and so is any other process it left behind (then the test errors, naming it)."""
    from tests.ops_support import stop_started_processes

    before = set(_descendants())
    yield
    stop_started_processes()  # a failed test's processes: the failure says why
    stray = {pid: cmd for pid, cmd in _descendants().items() if pid not in before}
    for pid in stray:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if stray:
        pytest.fail(f"the test left {len(stray)} process(es) running (now killed): {sorted(stray.values())}")


@pytest.fixture(autouse=True)
def _restore_logging():
    """CLI tests install evictwatch's log handler on a stream that closes after the call."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'evictwatch.db'}"


@pytest.fixture
def store(sqlite_url: str) -> Store:
    engine = db.make_engine(sqlite_url)
    db.upgrade(engine)
    return Store(engine)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_on_both(request, sqlite_url):
    """A store on SQLite, then on the local PostgreSQL in a schema of its own (the store's own
    tests take it: `def store(store_on_both)` in their module)."""
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(url)
    db.upgrade(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def pg_url():
    """A private schema in the local PostgreSQL's `test` database, dropped afterwards."""
    schema = f"ew_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is required (bash scripts/test sets it up): {exc}")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
