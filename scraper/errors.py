"""Errors a court adapter raises; each says what happened and what an operator should do."""

from __future__ import annotations


class ScrapeError(Exception):
    """Base for anything that stops or degrades a court's scrape."""


class LayoutError(ScrapeError):
    """The court's page no longer has a section or label the parser requires."""

    def __init__(self, page: str, field: str, detail: str = "") -> None:
        self.page = page
        self.field = field
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"layout changed: page {page} has no {field}{extra}; nothing from it was stored. "
            "The page is kept in the raw archive (evictwatch archive page CASE_NUMBER): compare it "
            "with the golden pages and update the parser, then `evictwatch reparse`."
        )


class TruncatedPageError(ScrapeError):
    """The body ended before the document did; refetching usually cures it."""

    def __init__(self, page: str) -> None:
        self.page = page
        super().__init__(f"page {page} arrived cut short (no closing </body> or </html>)")


class GateError(ScrapeError):
    """The portal asks for something only a person can give (verification code, CAPTCHA)."""

    def __init__(self, court_id: str, what: str) -> None:
        self.court_id = court_id
        super().__init__(
            f"court {court_id}: the portal now asks for {what}. evictwatch does not solve or bypass "
            "such gates; the court is stopped for this run. Check the portal in a browser and "
            "contact the court's clerk if it persists."
        )


class UnexpectedPageError(ScrapeError):
    """The portal answered with a page that is none of the kinds the flow allows here."""

    def __init__(self, page: str, expected: str, got: str, detail: str = "") -> None:
        self.page = page
        article = "an" if got[:1].lower() in "aeiou" else "a"
        extra = f" ({detail})" if detail else ""
        super().__init__(f"page {page}: expected {expected}, got {article} {got} page{extra}")


class EmptyWindowError(ScrapeError):
    """A court that always has eviction cases listed none for a whole window of hearing dates."""

    def __init__(self, court_id: str, since: object, until: object) -> None:
        self.court_id = court_id
        super().__init__(
            f"court {court_id}: no eviction cases for hearing dates {since}..{until}. "
            "A court this size always has some; check the court's code in the configuration and the portal by hand."
        )
