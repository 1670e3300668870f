"""A court in config.yaml: its court system (source), portal code, time zone and name."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from evictwatch.config_checks import Section, checked_code, one_line, zone_name
from evictwatch.courts import adapter, source_names

if TYPE_CHECKING:
    from scraper.base import Court


def listed_court_id(entry_id: str, code: str) -> str:
    return f"{entry_id}-{code}"


class CourtConfig(Section):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    source: str
    every_listed: bool = Field(default=False, alias="all",
                               description="every court the portal lists, each its own court `<id>-<code>` "
                                           "(exclusive with `code`); the list is read weekly")
    name: str | None = Field(default=None, min_length=1, max_length=100,
                             description="how lists and the report name the court; default: its id")
    fips: str | None = Field(default=None, description="the old name of `code`, read where the court system "
                                                       "declares it (Virginia's FIPS)")
    code: str | None = Field(default="", validate_default=True,
                             description="the portal's court code, checked by the source (Virginia: FIPS)")
    base_url: str
    lookup_url: str | None = Field(default=None, description="where people look a case up; default: base_url")
    timezone: str | None = Field(default=None, description="IANA name; default: the court system's own")
    closed_days: list[dt.date] = Field(default_factory=list,
                                       description="days the court does not sit beyond its state's holidays")
    rate_limit_per_s: float = Field(default=1.0, gt=0, le=50)
    enabled: bool = True

    @model_validator(mode="before")
    @classmethod
    def _fips_is_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and "fips" in data and "code" not in data:
            data = {**data, "code": None}  # None: take the (separately checked) fips
        return data

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str) -> str:
        known = source_names()
        if value not in known:
            raise ValueError(f"unknown court source; known: {', '.join(known)}")
        return value

    @field_validator("fips")
    @classmethod
    def _fips(cls, value: str | None, info) -> str | None:
        source = info.data.get("source")
        if value is not None and source is not None and "fips" not in adapter(source).code_aliases:
            raise ValueError(f"a {source} court has no `fips`: give its portal code as `code`")
        return None if value is None else checked_code(value, source)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None, info) -> str:
        if info.data.get("every_listed"):
            if value or info.data.get("fips"):
                raise ValueError("`all: true` means every court the portal lists: give no `code` (or `fips`) beside it")
            return ""
        if value is None:  # written as fips: checked there; "" if that failed (its error is reported)
            return info.data.get("fips") or ""
        if "fips" in info.data and info.data["fips"] is not None:
            raise ValueError("give the court's code once: `code` (or its old name `fips`), not both")
        return checked_code(value, info.data.get("source"))

    @model_validator(mode="after")
    def _portal_lists_courts(self) -> "CourtConfig":
        from scraper.base import ListsCourts  # with the adapters (see evictwatch.courts)

        if self.every_listed and not isinstance(adapter(self.source), ListsCourts):
            raise ValueError(f"a {self.source} portal does not list its courts: give each court its own entry "
                             "with its `code` instead of `all: true`")
        return self

    def listed_court(self, code: str, name: str) -> "CourtConfig":
        """One court this `all: true` entry's portal lists, as a court of its own: `<id>-<code>`."""
        given = self.model_dump(exclude={"every_listed", "code", "fips", "name", "id"}, exclude_none=True)
        return CourtConfig.model_validate({**given, "id": listed_court_id(self.id, code), "code": code,
                                           "name": name[:100]})

    def lists(self, court_id: str) -> bool:
        """Whether `court_id` names a court this `all: true` entry may list (a partner's filter
        can name one before the portal was first asked)."""
        if not self.every_listed or not court_id.startswith(self.id + "-"):
            return False
        try:
            adapter(self.source).check_code(court_id[len(self.id) + 1:])
        except ValueError:
            return False
        return True

    @field_validator("name")
    @classmethod
    def _plain_court_name(cls, value: str | None) -> str | None:
        return None if value is None else one_line(value, "a court name")

    @field_validator("timezone")
    @classmethod
    def _court_zone(cls, value: str | None) -> str | None:
        return None if value is None else zone_name(value)

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def zone(self) -> str:
        """The court's time zone: its configured one, else its court system's."""
        return self.court.zone

    @cached_property
    def court(self) -> Court:
        """This court with its court system's adapter, as everything downstream takes it."""
        from scraper.base import (
            Court,  # with the adapters (see evictwatch.courts), not with the configuration
        )

        return Court(id=self.id, adapter=adapter(self.source), code=self.code or "", base_url=self.base_url,
                     name=self.name or "", lookup_url=self.lookup_url or "", timezone=self.timezone or "",
                     rate_per_s=self.rate_limit_per_s, closed_days=tuple(self.closed_days))

    @field_validator("base_url", "lookup_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://eapps.courts.state.va.us/gdcourts/")
        return value if value.endswith("/") else value + "/"
