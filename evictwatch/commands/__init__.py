"""The `evictwatch` command line: argument parsing, printing and exit codes, nothing else.

Each command parses its options, calls the work in `evictwatch.jobs` (or a stage's API) and
prints what it returned. No command holds a step of the run itself.
"""
