"""Bundled simulator of a Tyler Odyssey Public Access portal (a Texas county's JP courts).

    sim = Simulator(SimConfig(seed=1, today=date(2026, 11, 27), result_cap=50))
    running = sim.start()          # background thread on 127.0.0.1, free port
    running.base_url               # 'http://127.0.0.1:PORT/JPPublicAccess/' (holds default.aspx)
    sim.docket.truth(since, until) # every eviction case with a setting then, as its register reads
    running.stop()
"""

from __future__ import annotations

import datetime as dt

from scraper.courts.tyler_odyssey.sim.app import BASE, App, FaultSpec, SimConfig
from scraper.courts.tyler_odyssey.sim.docket import Docket
from scraper.simkit.counters import SimStats
from scraper.simkit.http import RunningSimulator, serve_in_thread

__all__ = ["Docket", "FaultSpec", "RunningSimulator", "SimConfig", "SimStats", "Simulator"]


class Simulator:
    base_path = BASE

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.stats = SimStats()
        self.docket = Docket(self.config.seed, self.config.today, self.config.party_layout,
                             self.config.street_addresses)
        self.app = App(self.config, self.docket, self.stats)

    @property
    def today(self) -> dt.date:
        return self.docket.today

    def set_today(self, today: dt.date) -> None:
        self.docket.set_today(today)

    def set_faults(self, faults: FaultSpec) -> None:
        self.app.faults = faults

    def set_result_cap(self, cap: int) -> None:
        self.app.result_cap = cap

    def start(self, host: str = "127.0.0.1", port: int = 0) -> RunningSimulator:
        return serve_in_thread(self.app, BASE, host, port, "tyler-odyssey-sim")
