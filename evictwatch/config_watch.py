"""A partner's watch list in config.yaml: how likely a name match must be to be confident, or to
be worth a person's look, and how long a watched case number is looked up."""

from __future__ import annotations

from pydantic import Field, model_validator

from evictwatch.config_checks import Section
from pipeline.linkage import CONFIDENT_AT, REVIEW_AT


class WatchConfig(Section):
    """A partner keeps a watch list (`evictwatch watch import`); without this entry its list is removed."""

    confident: float = Field(default=CONFIDENT_AT, gt=0, lt=1, description="a name this probably the tenant's "
                             "(0-1), with the same ZIP code and no other household as much as 1 in 100, is a "
                             "confident match")
    review: float = Field(default=REVIEW_AT, gt=0, lt=1, description="a name this probably the tenant's (0-1) is a "
                          "match to review")
    lookup_days: int = Field(default=14, ge=1, le=365, description="how long a watched case number not found yet "
                             "is looked up by number on each run")

    @model_validator(mode="before")
    @classmethod
    def _old_scores(cls, values: object) -> object:
        if not isinstance(values, dict):
            return values
        try:
            review = float(values.get("review") or 0)
        except (TypeError, ValueError):
            return values  # not a number: said as such by the field's own check
        if "auto_match" in values or review > 1:
            raise ValueError("watch.auto_match and a watch.review above 1 were name scores (0-100); matching now "
                             "weighs how likely a match is, between 0 and 1, on another scale (92 and 80 are not "
                             f"0.92 and 0.80): leave both out (`watch: {{}}`: confident {CONFIDENT_AT}, review "
                             f"{REVIEW_AT}), or set watch.confident and watch.review between 0 and 1")
        return values

    @model_validator(mode="after")
    def _ordered(self) -> "WatchConfig":
        if self.review > self.confident:
            raise ValueError(f"review ({self.review}) must not be above confident ({self.confident})")
        return self
