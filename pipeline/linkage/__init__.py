"""A partner's watch list against the tenants of the cases: record linkage (docs/watch-matching.md).

The verdicts' thresholds live here, apart from the model, so that the configuration can name
its defaults without loading it.
"""

# A person acts on a confident match without looking; one chance in ten is worth a minute's look.
CONFIDENT_AT = 0.7
REVIEW_AT = 0.1
