"""The court systems evictwatch can read, as the layers above the scraper reach them.

This is the one place outside `scraper/` that asks the registry of adapters (`scraper.courts`):
the configuration makes each court of config.yaml into a `scraper.base.Court` through it
(`CourtConfig.court`), and the few readers of a court that is stored but no longer configured
(re-parsing archived pages, the retention law of an old court) ask it by source name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.retention import HasRetentionLaw

if TYPE_CHECKING:
    from pipeline.erasure import LawOf
    from pipeline.store.repo import Store
    from scraper.base import CourtSource

__all__ = ["adapter", "source_names", "stored_laws"]

# The registry imports every adapter (their parsers, HTTP and browser layers): it is imported
# when a court is first looked up, not with the configuration's modules, which `evictwatch
# --help` and every command load (measured: --help 0.6 s, 1.4 s with the adapters at the top).


def adapter(source: str) -> CourtSource:
    """The adapter of the court system named `source`; KeyError naming the known ones."""
    from scraper.courts import get_source

    return get_source(source)


def source_names() -> list[str]:
    from scraper.courts import source_names as registered

    return registered()


def stored_laws(store: Store) -> LawOf:
    """Each stored court's retention law, from its court system's adapter (a court no longer
    configured keeps the law it was stored under; a source this release does not know: none)."""
    known = set(source_names())
    laws = {court: source for court, (name, _) in store.court_sources().items()
            if name in known and isinstance(source := adapter(name), HasRetentionLaw)}
    return laws.get
