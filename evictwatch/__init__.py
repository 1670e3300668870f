"""evictwatch above the four stages: `commands/` (the CLI), `jobs/` (the run's steps),
`config` (config.yaml, validated) and `logs` (logging setup)."""
