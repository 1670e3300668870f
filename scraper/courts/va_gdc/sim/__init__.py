"""Bundled simulator of the Virginia GDC portal: deterministic synthetic dockets, real quirks.

    sim = Simulator(SimConfig(seed=1, today=date(2026, 11, 27), faults=FaultSpec.parse("5xx=0.05")))
    running = sim.start()          # background thread on 127.0.0.1, free port
    running.base_url               # 'http://127.0.0.1:PORT/gdcourts/'
    sim.docket.truth("510", since, until)   # what the pages show, as CaseRecords
    running.stop()
"""

from scraper.courts.va_gdc.sim.config import LAYOUT_VARIANTS, FaultSpec, SimConfig
from scraper.courts.va_gdc.sim.docket import Docket
from scraper.courts.va_gdc.sim.server import Simulator
from scraper.simkit.http import RunningSimulator
from scraper.simkit.counters import SimStats

__all__ = ["LAYOUT_VARIANTS", "Docket", "FaultSpec", "RunningSimulator", "SimConfig", "SimStats", "Simulator"]
