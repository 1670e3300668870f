"""The fault soak's short form (bench/soak.py: the long form is 20 cycles): `evictwatch run`
against both simulators with faults, killed with SIGKILL at seeded moments and run again;
the store must equal the ground truth, no e-mail go twice, no Chromium outlive a run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[1] / "bench" / "soak.py"


@pytest.mark.timeout(400)
def test_killed_runs_against_faulty_portals_lose_nothing_and_send_nothing_twice():
    soak = subprocess.Popen([sys.executable, str(SOAK), "--cycles", "2", "--seed", "7", "--kill-within", "8"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = soak.communicate(timeout=360)
    finally:
        if soak.poll() is None:  # the test failed or timed out: the soak and every run it started go
            os.killpg(soak.pid, signal.SIGKILL)
            soak.communicate()
    assert soak.returncode == 0 and "soak passed" in out, out[-4000:]
    killed = re.search(r"(\d+) runs killed", out)
    assert killed and int(killed.group(1)) >= 1, out[-4000:]  # at least one run died mid-way
