"""Bundled simulator of the Virginia GDC portal: deterministic synthetic dockets, real quirks."""
