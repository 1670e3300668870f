"""How evictwatch starts the system Chromium (Debian's, never a downloaded one), for the
portals that need a browser and for printing docket sheets; no Playwright here, so a command
that only might print loads none."""

from __future__ import annotations

import os

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # More flags, one per line, from EVICTWATCH_CHROMIUM_EXTRA_ARGS (the tests' resolver rules).
    *(arg for arg in os.environ.get("EVICTWATCH_CHROMIUM_EXTRA_ARGS", "").splitlines() if arg.strip()),
]
