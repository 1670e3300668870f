"""`run_mode` and the `distributed:` section of config.yaml: procrastinate workers on PostgreSQL."""

from __future__ import annotations

from pydantic import Field, model_validator

from evictwatch.config_checks import Section


class DistributedConfig(Section):
    """How `evictwatch worker` processes share the work (run_mode: distributed)."""

    concurrency: int = Field(default=4, ge=1, le=64, description="tasks one worker runs at once (--concurrency)")
    heartbeat_s: float = Field(default=10.0, gt=0, le=300, description="how often a worker says it is alive")
    stall_timeout_s: float = Field(default=60.0, gt=0, description="a worker silent this long is dead: its tasks "
                                                                   "go back to the queue for another worker")
    poll_s: float = Field(default=5.0, gt=0, le=600, description="how often a waiting task (a cycle's end, "
                                                                 "an idle worker) looks again")
    scrape_attempts: int = Field(default=4, ge=1, le=20, description="attempts of one court's scrape task")
    retry_wait_s: int = Field(default=60, ge=0, description="a failed court's first wait; it doubles each attempt")
    cycle_deadline_s: float = Field(default=4 * 3600, gt=0, description="a cycle whose courts are still not all "
                                                                        "scraped after this goes on without them")

    @model_validator(mode="after")
    def _stall_after_heartbeats(self) -> "DistributedConfig":
        if self.stall_timeout_s < 2 * self.heartbeat_s:
            raise ValueError(f"stall_timeout_s ({self.stall_timeout_s:g}) must be at least twice heartbeat_s "
                             f"({self.heartbeat_s:g}): a live worker would be taken for dead")
        return self
