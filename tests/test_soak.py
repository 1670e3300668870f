"""The fault soak's short form (bench/soak.py: the long form is 20 cycles): `evictwatch run`
against both simulators with faults, killed with SIGKILL at seeded moments and run again;
the store must equal the ground truth, no e-mail go twice, no Chromium outlive a run."""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest

from tests.soak_background import COMMAND, outcome


@pytest.mark.timeout(400)
def test_killed_runs_against_faulty_portals_lose_nothing_and_send_nothing_twice():
    # Under pytest-xdist the controller started the soak as soon as this file was collected, and it
    # ran beside the other files (tests/soak_background.py; this file is handed out last); without
    # xdist the test runs it here.
    started = outcome(timeout_s=360)
    if started is not None:
        returncode, out = started
    else:
        soak = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            out, _ = soak.communicate(timeout=360)
        finally:
            if soak.poll() is None:  # the test failed or timed out: the soak and every run it started go
                os.killpg(soak.pid, signal.SIGKILL)
                soak.communicate()
        returncode = soak.returncode
    assert returncode == 0 and "soak passed" in out, out[-4000:]
    killed = re.search(r"(\d+) runs killed", out)
    assert killed and int(killed.group(1)) >= 1, out[-4000:]  # at least one run died mid-way
