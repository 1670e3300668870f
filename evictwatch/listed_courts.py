"""Expanding each `all: true` court entry into the courts its portal listed last, as the store
keeps them: once for every process that opens the store with a configuration. Light on purpose:
every command that opens the database runs it (the weekly refresh is `evictwatch.jobs.court_lists`)."""

from __future__ import annotations

from evictwatch.config import AppConfig
from pipeline.store.repo import Store


def use_listed_courts(config: AppConfig, store: Store) -> None:
    """`config.courts` becomes the configured courts with each `all: true` entry replaced by the
    courts its portal listed last (none before its first listing)."""
    config.use_listed_courts(lambda entry_id: [(c.code, c.name) for c in store.court_lists.current(entry_id)])
