"""A partner's letters to tenants in config.yaml (`evictwatch letters`): every key optional.

The wording has good defaults in English and Spanish (evictwatch.jobs.letter_text); a partner
replaces a paragraph by writing its own. Where a court publishes no street address no letter is
written, whatever is configured here.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from evictwatch.config_checks import Section, one_line


class LetterWording(Section):
    """One language's paragraphs; an empty one keeps the default."""

    greeting: str = Field(default="", max_length=200, description="the letter's first line")
    body: str = Field(default="", max_length=2000, description="the paragraph after the hearing's date, time "
                      "and place: what the partner offers")
    closing: str = Field(default="", max_length=300, description="the line above the partner's name")


class LettersConfig(Section):
    """Turns letters on for a partner: one per household per new eviction case, printed for a #10
    double-window envelope, English on the front and Spanish on the back."""

    phone: str = Field(default="", max_length=40, description="the number tenants call, printed in both languages")
    return_address: list[str] = Field(default_factory=list, max_length=4,
                                      description="up to four lines shown in the envelope's upper window, "
                                                  "the partner's name first")
    signature: str = Field(default="", max_length=100, description="who signs the letter; default: the partner's name")
    min_days_before_hearing: int = Field(default=5, ge=0, le=60,
                                         description="no letter for a case whose first hearing is sooner (it "
                                                     "would arrive too late)")
    court_addresses: dict[str, str] = Field(default_factory=dict,
                                            description="a court's street address by its id, printed as the "
                                                        "hearing's place")
    folder: str = Field(default="data/letters", description="where each run's letters are written, relative "
                        "to the config file")
    english: LetterWording = LetterWording()
    spanish: LetterWording = LetterWording()

    @field_validator("return_address")
    @classmethod
    def _lines(cls, values: list[str]) -> list[str]:
        for value in values:
            one_line(value, "a return address line")
        return [v.strip() for v in values if v.strip()]

    @field_validator("phone", "signature")
    @classmethod
    def _one_line(cls, value: str) -> str:
        one_line(value, "a letter's phone or signature")
        return value.strip()
