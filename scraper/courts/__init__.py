"""The court adapters by name: the bundled ones are registered when this package is imported."""

from __future__ import annotations

from scraper.base import CourtSource
from scraper.courts.tyler_odyssey import TylerOdysseySource
from scraper.courts.va_gdc import VaGdcSource

__all__ = ["get_source", "register", "source_names"]

_SOURCES: dict[str, CourtSource] = {}


def register(source: CourtSource) -> CourtSource:
    _SOURCES[source.name] = source
    return source


def get_source(name: str) -> CourtSource:
    try:
        return _SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown court source {name!r}; known: {', '.join(sorted(_SOURCES))}") from None


def source_names() -> list[str]:
    return sorted(_SOURCES)


register(VaGdcSource())
register(TylerOdysseySource())
