"""Bundled court adapters; importing this package registers each by name."""

from scraper.courts import va_gdc  # noqa: F401
