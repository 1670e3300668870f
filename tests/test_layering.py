"""The layers under the scrapers: every transport (httpx, the browser) takes the governor's
turn, optional adapter capabilities are checked, and the product packages import no cycle."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import functools
import random
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from scraper import courts
from scraper.base import CourtSource, DescribesPages, HasSimulator
from scraper.browser import pass_browser_check, take_turns
from scraper.courts import get_source, source_names
from scraper.http import FakeClock, HostGovernor, PoliteSession, RetryPolicy, SpacingRateLimiter
from scraper.vocabulary import Vocabulary

COURT = "http://127.0.0.1:9"
ELSEWHERE = "http://localhost:9"
ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["scraper", "pipeline", "notify", "reports", "web", "evictwatch"]


def run(coro_fn):
    @functools.wraps(coro_fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(coro_fn(*args, **kwargs))

    return wrapper


def governor(clock: FakeClock, *, rate: float = 0.5, cap: int = 10) -> HostGovernor:
    return HostGovernor(rate_limiter=SpacingRateLimiter({"127.0.0.1": rate}, clock), max_concurrency_per_host=cap,
                        clock=clock, retry=RetryPolicy(), rng=random.Random(1))


# --- a stand-in for Playwright's BrowserContext, Route, Request and Response ---------------


class FakeContext:
    """Routes like Playwright: one handler for every request, redirect hops only as events."""

    def __init__(self, clock: FakeClock, latency_s: float = 0.0) -> None:
        self.clock = clock
        self.latency_s = latency_s
        self.sent: list[tuple[float, str]] = []  # (virtual time, url) each request went out
        self.in_flight = self.peak = 0
        self._route = None
        self._listeners: dict[str, list] = {}

    async def route(self, pattern: str, handler) -> None:
        assert pattern == "**/*"
        self._route = handler

    def on(self, event: str, listener) -> None:
        self._listeners.setdefault(event, []).append(listener)

    async def navigate(self, url: str, *, redirect_to: str | None = None) -> None:
        request = FakeRequest(self, url)
        await asyncio.gather(*(fn(request) for fn in self._listeners.get("request", [])))
        await self._route(FakeRoute(self, request))
        if redirect_to is not None:  # the browser follows it itself, unrouted
            hop = FakeRequest(self, redirect_to, redirected_from=request)
            self.sent.append((self.clock.monotonic(), hop.url))
            await asyncio.gather(*(fn(hop) for fn in self._listeners.get("request", [])))


class FakeRequest:
    def __init__(self, context: FakeContext, url: str, redirected_from: FakeRequest | None = None) -> None:
        self.context, self.url, self.redirected_from = context, url, redirected_from
        self._done: asyncio.Future | None = None

    async def response(self) -> FakeResponse:
        await self._done
        return FakeResponse()


class FakeResponse:
    async def finished(self) -> None:
        return None


class FakeRoute:
    def __init__(self, context: FakeContext, request: FakeRequest) -> None:
        self.context, self.request = context, request

    async def continue_(self) -> None:
        ctx = self.context
        ctx.sent.append((ctx.clock.monotonic(), self.request.url))
        ctx.in_flight += 1
        ctx.peak = max(ctx.peak, ctx.in_flight)
        self.request._done = asyncio.ensure_future(self._answer())

    async def _answer(self) -> None:
        await self.context.clock.sleep(self.context.latency_s)
        self.context.in_flight -= 1


@run
async def test_browser_requests_to_the_court_take_turns_and_are_counted():
    clock = FakeClock()
    gov = governor(clock, rate=0.5)
    context = FakeContext(clock)
    await take_turns(context, gov, "127.0.0.1")
    await asyncio.gather(*(context.navigate(f"{COURT}/page/{i}") for i in range(4)),
                         context.navigate(f"{ELSEWHERE}/cdn.js"))
    court = sorted(t for t, url in context.sent if url.startswith(COURT))
    assert court == pytest.approx([0.0, 2.0, 4.0, 6.0])  # one start every 1/rate seconds
    assert gov.stats["127.0.0.1"].requests == 4
    assert gov.stats["127.0.0.1"].waited_s == pytest.approx(2.0 + 4.0 + 6.0)
    assert set(gov.stats) == {"127.0.0.1"}  # other hosts are not the court's: passed through
    assert (0.0, f"{ELSEWHERE}/cdn.js") in context.sent


@run
async def test_a_browser_request_holds_the_host_slot_until_its_answer_is_read():
    clock = FakeClock()
    gov = governor(clock, rate=1000.0, cap=2)
    context = FakeContext(clock, latency_s=1.0)
    await take_turns(context, gov, "127.0.0.1")
    await asyncio.gather(*(context.navigate(f"{COURT}/asset/{i}") for i in range(6)))
    assert context.peak == 2
    assert clock.monotonic() == pytest.approx(3.0, abs=0.05)  # three rounds of two


@run
async def test_browser_redirect_hops_are_counted_and_space_what_follows():
    clock = FakeClock()
    gov = governor(clock, rate=0.5)
    context = FakeContext(clock)
    await take_turns(context, gov, "127.0.0.1")
    await context.navigate(f"{COURT}/landing", redirect_to=f"{COURT}/terms")
    await context.navigate(f"{COURT}/after")
    assert gov.stats["127.0.0.1"].requests == 3
    # The browser sent the hop at once (t = 0): it is booked then, and what follows is spaced
    # from it: one interval later, not from a turn the hop never waited for.
    assert context.sent[-1] == (pytest.approx(2.0), f"{COURT}/after")


@run
async def test_httpx_and_the_browser_share_one_spacing():
    clock = FakeClock()
    gov = governor(clock, rate=0.5)
    context = FakeContext(clock)
    await take_turns(context, gov, "127.0.0.1")
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(clock.monotonic())
        return httpx.Response(200, text="ok")

    with respx.mock(assert_all_called=True) as router:
        router.get(url__startswith=f"{COURT}/case").mock(side_effect=answer)
        async with PoliteSession(gov, user_agent="ua") as session:
            await asyncio.gather(context.navigate(f"{COURT}/check"), session.get(f"{COURT}/case/1"),
                                 context.navigate(f"{COURT}/check/2"), session.get(f"{COURT}/case/2"))
    every = sorted(starts + [t for t, _ in context.sent])
    assert every == pytest.approx([0.0, 2.0, 4.0, 6.0])
    assert gov.stats["127.0.0.1"].requests == 4 and session.stats.requests == 2


def test_turn_is_one_slot_one_rate_limit_turn_and_counted():
    async def scenario():
        clock = FakeClock()
        gov = governor(clock, rate=1.0, cap=1)
        order: list[tuple[str, float]] = []

        async def use(name: str, hold_s: float) -> None:
            async with gov.turn(f"{COURT}/{name}") as waited:
                order.append((name, clock.monotonic(), waited))
                await clock.sleep(hold_s)

        await asyncio.gather(use("a", 3.0), use("b", 0.0))
        return gov, order

    gov, order = asyncio.run(scenario())
    # b waited for a's slot (3 s), not just for the 1 s spacing
    assert order == [("a", 0.0, 0.0), ("b", pytest.approx(3.0), 0.0)]
    assert gov.stats["127.0.0.1"].requests == 2


# --- the real browser against the simulator's JavaScript check ---------------------------


@pytest.fixture
def checked_sim():
    sim = get_source("va-gdc").simulator(seed=3, today=dt.date(2026, 11, 27), browser_check=True)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        yield sim, running
    finally:
        running.stop()


class RecordingLimiter(SpacingRateLimiter):
    def __init__(self, clock: FakeClock, rate: float) -> None:
        super().__init__({"127.0.0.1": rate}, clock)
        self.clock = clock
        self.starts: list[float] = []

    async def wait_turn(self, host: str) -> float:
        waited = await super().wait_turn(host)
        self.starts.append(self.clock.monotonic())
        return waited


@pytest.mark.browser
def test_the_browser_check_takes_the_courts_turns(checked_sim):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (bash scripts/test installs it)")
    sim, running = checked_sim
    clock = FakeClock()
    limiter = RecordingLimiter(clock, rate=0.5)
    gov = HostGovernor(rate_limiter=limiter, max_concurrency_per_host=2, clock=clock, retry=RetryPolicy(),
                       rng=random.Random(1))
    session = asyncio.run(pass_browser_check(
        running.base_url + "landing.do", governor=gov, chromium_path="/usr/bin/chromium",
        contact="evictwatch-test (ops@example.org)", ready_selector="input[name=accept]", timeout_s=30))
    assert any(c.name == "ew_clearance" for c in session.cookies)
    seen_by_court = sim.stats.requests
    assert sim.stats.browser_challenges == 1 and seen_by_court >= 2  # the check, then the reload
    counted = gov.stats["127.0.0.1"].requests
    assert counted >= seen_by_court  # nothing reached the court without its turn
    assert len(limiter.starts) == counted
    assert all(b - a >= 2.0 - 1e-9 for a, b in zip(limiter.starts, limiter.starts[1:])), limiter.starts


# --- the registry and optional capabilities ----------------------------------------------


class PlainSource:
    """A source with only the required members: no simulator, no page descriptions."""

    name = "plain"
    empty_window_expected = True
    timezone = "UTC"
    holiday_region = ("US", None)
    code_aliases = ()
    vocabulary = Vocabulary(term="eviction", eviction_case_types=frozenset({"eviction"}), hearing_rules=(),
                            judgment_rules=())

    def check_code(self, code):
        return code

    def is_case_number(self, text):
        return text.isalnum()

    def scraper(self, target, ctx):
        raise NotImplementedError

    def parse_case_page(self, html, url, court_id):
        raise NotImplementedError


def test_optional_capabilities_are_optional(monkeypatch):
    monkeypatch.setitem(courts._SOURCES, "plain", PlainSource())
    plain, bundled = get_source("plain"), get_source("va-gdc")
    assert isinstance(plain, CourtSource) and not isinstance(plain, (HasSimulator, DescribesPages))
    assert isinstance(bundled, CourtSource) and isinstance(bundled, HasSimulator) and isinstance(bundled, DescribesPages)
    assert source_names() == ["plain", "tyler-odyssey", "va-gdc"]
    with pytest.raises(KeyError, match="unknown court source 'nowhere'; known: plain, tyler-odyssey, va-gdc"):
        get_source("nowhere")


def test_sim_command_says_when_a_source_has_no_simulator(monkeypatch, tmp_path: Path):
    from evictwatch.commands.app import app

    monkeypatch.setitem(courts._SOURCES, "plain", PlainSource())
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path}/x.db", "sim", "plain"])
    assert result.exit_code == 2
    assert "court source plain has no bundled simulator" in result.stderr


# --- imports ------------------------------------------------------------------------------


def product_imports() -> dict[str, set[str]]:
    """module -> product modules it imports (anywhere in the file, function bodies too)."""
    files = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for pkg in PRODUCT for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                submodules = {n for n in names if n in files}  # `from pkg import submodule`
                targets.update(submodules)
                if len(submodules) < len(names):
                    targets.add(node.module)
        graph[module] = {t for t in targets if t in files and t != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_product_packages_import_no_cycle():
    graph = product_imports()
    assert graph["scraper.courts"] >= {"scraper.courts.va_gdc", "scraper.base"}
    assert cycles(graph) == []


def test_the_scraper_core_knows_no_adapter():
    graph = product_imports()
    core = [m for m in graph if m.startswith("scraper.") and not m.startswith("scraper.courts")]
    assert core and all(not any(t.startswith("scraper.courts") for t in graph[m]) for m in core)


def test_no_name_means_a_record_in_one_stage_and_a_row_in_the_store():
    """The scraper's records and the store's rows are different things with different fields:
    a class name is one or the other (the store's are named as rows: PartyRow, RawPageRow)."""
    root = Path(__file__).resolve().parents[1]

    def classes(path: Path) -> set[str]:
        return {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.ClassDef)}

    records = classes(root / "scraper" / "records.py") | classes(root / "scraper" / "base.py")
    rows = set().union(*(classes(p) for p in (root / "pipeline" / "store").glob("*.py")))
    assert {"Party", "RawPage", "Court"} <= records and {"PartyRow", "RawPageRow", "CourtRow"} <= rows
    assert records & rows == set()


def test_the_store_imports_nothing_of_the_pipeline_above_it():
    """`pipeline/store` is the layer everything else reads and writes through: what it takes in
    is defined in it (`pipeline.store.inputs`), so none of its modules imports another stage."""
    graph = product_imports()
    store = [m for m in graph if m == "pipeline.store" or m.startswith("pipeline.store.")]
    assert "pipeline.store.batch" in store and "pipeline.prepare" in graph
    above = {m: sorted(t for t in graph[m] if t.startswith("pipeline.") and not t.startswith("pipeline.store"))
             for m in store}
    assert {m: t for m, t in above.items() if t} == {}


def test_the_registry_of_court_systems_is_asked_in_one_place_above_the_scraper():
    """A configured court carries its adapter (`CourtConfig.court`); only `evictwatch/courts.py`
    looks an adapter up by name, so a court system is chosen in one place."""
    asking = sorted(str(p.relative_to(ROOT)) for pkg in PRODUCT if pkg != "scraper"
                    for p in (ROOT / pkg).rglob("*.py") if "get_source" in p.read_text(encoding="utf-8"))
    assert asking == ["evictwatch/courts.py"]


def test_nothing_above_the_store_holds_its_engine():
    """The stages, jobs and commands hold a `Store`; SQL and connections stay in `pipeline/store`."""
    holding = sorted(f"{p.relative_to(ROOT)}:{n}" for pkg in PRODUCT for p in (ROOT / pkg).rglob("*.py")
                     if not p.is_relative_to(ROOT / "pipeline" / "store")
                     for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                     if ".engine" in line.replace("sqlalchemy.engine", "") or "make_engine(" in line)
    assert holding == []


def function_local_imports() -> list[str]:
    """Every import inside a function in the product's code (the bundled simulators aside)."""
    found = []
    for pkg in PRODUCT:
        for path in (ROOT / pkg).rglob("*.py"):
            if "sim" in path.relative_to(ROOT).parts or "simkit" in path.parts:
                continue

            def visit(node: ast.AST, inside: bool) -> None:
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, (ast.Import, ast.ImportFrom)) and inside:
                        found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
                    visit(child, inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

            visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_imports_stand_at_the_top_but_for_a_few_that_wait_for_a_reason():
    """Commands load lazily by name (`evictwatch.commands.app.COMMANDS`), so a module imports what
    it uses at its top; the few imports inside functions are optional dependencies or measured
    start-up (each says which)."""
    local = function_local_imports()
    assert "evictwatch/commands/distributed.py" in " ".join(local)  # the walk finds them
    assert len(local) <= 25, local
