"""What every bundled portal simulator shares: the HTTP server, injected faults, per-client
rate limits and request counters. Each court system's simulator (its pages, its docket, its
quirks) lives in its own adapter package and is built on these."""
