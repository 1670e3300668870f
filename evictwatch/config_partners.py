"""A task-force partner in config.yaml: who it is, what it receives, which cases it serves, and
its watch list and letters (evictwatch.config_watch, evictwatch.config_letters)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from evictwatch.config_checks import Section, one_line, plain_addresses
from evictwatch.config_letters import LettersConfig
from evictwatch.config_watch import WatchConfig
from evictwatch.steps import CHOSEN_KINDS


class PartnerFilters(Section):
    courts: list[str] = Field(default_factory=list)  # empty: every court
    zips: list[str] = Field(default_factory=list)
    statuses: list[str] = Field(default_factory=list)
    min_amount: float | None = Field(default=None, ge=0)
    max_amount: float | None = Field(default=None, ge=0)
    landlords: list[str] = Field(default_factory=list)

    @field_validator("zips")
    @classmethod
    def _zip5(cls, values: list[str]) -> list[str]:
        for value in values:
            if not (len(value) == 5 and value.isdigit()):
                raise ValueError(f"ZIP codes are 5 digits, got {value!r}")
        return values


class PartnerConfig(Section):
    name: str = Field(min_length=1, max_length=100)
    emails: list[str] = Field(min_length=1)
    receives: list[Literal[CHOSEN_KINDS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["weekly_list", "urgent_alerts"])
    send_day: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "monday"
    send_time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    docket_time: str = Field(default="17:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
                             description="when the next court day's docket sheet goes out, the day before")
    calendar_file: str | None = Field(default=None, description="its hearings feed (.ics), relative to the config file")
    watch: WatchConfig | None = Field(default=None, description="its watch list's match thresholds")
    filters: PartnerFilters = PartnerFilters()
    letters: LettersConfig | None = Field(default=None, description="letters to its tenants where the court "
                                          "publishes street addresses (`evictwatch letters`)")

    @model_validator(mode="after")
    def _watching(self) -> "PartnerConfig":
        if "watch_matches" in self.receives and self.watch is None:
            raise ValueError("receives watch_matches but has no `watch:` entry (write `watch: {}` for the defaults)")
        return self

    @field_validator("emails")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        return plain_addresses(values)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        one_line(value, "a partner name")
        if value != value.strip():
            raise ValueError("a partner name must not start or end with spaces")
        if value == "operators":
            raise ValueError("'operators' is the name evictwatch gives its own operator messages; choose another")
        return value
