"""Many Virginia simulators at once, court N on 127.0.0.(N+2), a few per process of their own:
their arrival logs are then the network's, not held back by the client's (or each other's)
interpreter — what a real portal logs at its edge. For the distributed mode's tests and
bench/scale.py."""

from __future__ import annotations

import datetime as dt
import multiprocessing

from scraper.courts.va_gdc.sim.server import Simulator

PER_PROCESS = 5


def court_id(index: int) -> str:
    return f"c{index:02d}"


def simulator(index: int, today: dt.date, latency_ms: int = 0) -> Simulator:
    """Court `index`'s simulator (also for its ground truth in the caller's process)."""
    from scraper.courts.va_gdc.sim.config import SimConfig

    return Simulator(SimConfig(seed=100 + index, today=today, latency_ms=latency_ms))


def _serve(conn, first: int, count: int, today: dt.date, fips: str, latency_ms: int) -> None:
    sims = []
    for index in range(first, first + count):
        sim = simulator(index, today, latency_ms)
        for year in (today.year - 1, today.year):  # made before serving: making one holds the interpreter
            sim.docket.court_year(fips, year)
        sims.append((court_id(index), sim, sim.start(host=f"127.0.0.{index + 2}", port=0)))
    conn.send({court: running.base_url for court, _, running in sims})
    while (command := conn.recv()) != "stop":
        conn.send({court: list(sim.stats.arrivals) for court, sim, _ in sims})
        if command == "take":
            for _, sim, _ in sims:
                sim.stats.arrivals.clear()
    for _, _, running in sims:
        running.stop()


class Farm:
    """`count` simulators serving `fips`'s docket as of `today`; `base_urls` by court id."""

    def __init__(self, count: int, *, today: dt.date, fips: str, latency_ms: int = 0) -> None:
        self._links, self._processes, self.base_urls = [], [], {}
        for first in range(0, count, PER_PROCESS):
            parent, child = multiprocessing.get_context("fork").Pipe()
            process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(child, first, min(PER_PROCESS, count - first), today, fips, latency_ms),
                daemon=True)
            process.start()
            self._links.append(parent)
            self._processes.append(process)
        for link in self._links:
            self.base_urls.update(link.recv())

    def arrivals(self) -> dict[str, list[float]]:
        """Each court's request arrivals (time.monotonic(), the clock all processes share) so far."""
        return self._ask("look")

    def take_arrivals(self) -> dict[str, list[float]]:
        """The arrivals so far, forgotten by the simulators."""
        return self._ask("take")

    def _ask(self, command: str) -> dict[str, list[float]]:
        arrivals = {}
        for link in self._links:
            link.send(command)
            arrivals.update(link.recv())
        return arrivals

    def stop(self) -> None:
        for link in self._links:
            link.send("stop")
        for process in self._processes:
            process.join(10)
            if process.is_alive():
                process.kill()
