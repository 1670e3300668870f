"""The simulator's public entry point (its HTTP side is the kit's)."""

from __future__ import annotations

import datetime as dt

from scraper.courts.va_gdc.sim.app import BASE, App
from scraper.courts.va_gdc.sim.config import FaultSpec, SimConfig
from scraper.courts.va_gdc.sim.docket import Docket
from scraper.simkit.counters import SimStats
from scraper.simkit.http import RunningSimulator, serve_in_thread


class Simulator:
    """A local stand-in for the Virginia GDC portal, serving deterministic synthetic dockets."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.stats = SimStats()
        self.docket = Docket(self.config.seed, self.config.today, hostile_names=self.config.hostile_names,
                             expunge_lag_days=self.config.expunge_lag_days)
        self._app = App(self.config, self.docket, self.stats)

    base_path = BASE  # where the portal lives on the server, as on the real host

    @property
    def today(self) -> dt.date:
        return self.docket.today

    def set_today(self, today: dt.date) -> None:
        """Move the simulator's clock; pages and `docket` answers follow at once."""
        self.docket.set_today(today)

    def set_now(self, moment: dt.datetime) -> None:
        """Move the clock to a moment of the day (court time): the day's filings are listed as
        they are published, through the business day (`docket.published_after`)."""
        self.docket.set_now(moment)

    @property
    def faults(self) -> FaultSpec:
        return self._app.faults

    def set_faults(self, faults: FaultSpec) -> None:
        self._app.faults = faults

    def start(self, host: str = "127.0.0.1", port: int = 0) -> RunningSimulator:
        """Serve from a background thread; port 0 picks a free port."""
        return serve_in_thread(self._app, BASE, host, port, "va-gdc-sim")
