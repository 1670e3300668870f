"""How many of a list's people are sued at all (π), estimated from the list's own pairs by
expectation–maximisation, as record-linkage tools estimate λ: each row is one of the households
it may be, or no one, in proportion to the evidence, and π is the share it is someone.

It starts from a prior worth a few rows (a quarter of a list's people sued), so that a short
list, or one batch of a long one, does not decide it alone.

How often a list gives another ZIP code than the case's is not estimated so: on lists of names
as common as a court's, a sued person with another ZIP code and a namesake who was never sued
look alike, and the estimate sinks towards zero (measured on tests/fixtures/watch/distorted.csv,
where one in seven of the sued is listed with another ZIP code: it gave 0.016). It stays the
model's M_ZIP.
"""

from __future__ import annotations

import numpy as np

PRIOR_SUED = (2.0, 6.0)  # Beta prior: (sued, not sued)
_ROUNDS, _CLOSE_ENOUGH = 200, 1e-7


def listed_share(rows: np.ndarray, weights: np.ndarray, n_rows: int, households: int) -> float:
    """π. `rows`, `weights`: per pair (a row and a household it may be) its row and its weight in
    bits; `n_rows` rows in all, some with no pair; `households`: how many the rows may be."""
    share = PRIOR_SUED[0] / sum(PRIOR_SUED)
    if not n_rows:
        return share
    totals = np.bincount(rows, np.exp2(weights), minlength=n_rows)
    for _ in range(_ROUNDS):
        per = share / households
        sued = per * totals / ((1 - share) + per * totals)
        new = float((sued.sum() + PRIOR_SUED[0]) / (n_rows + sum(PRIOR_SUED)))
        if abs(new - share) < _CLOSE_ENOUGH:
            return new
        share = new
    return share
