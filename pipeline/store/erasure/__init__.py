"""What the law and retention take out of the store, in one place.

- `erase`: a case the law erases (expunged, or gone from the portal after it closed) leaves no
  trace but a keyed token (`tokens`), so a case seen again is known and not stored again;
- `retention`: what is kept of a case closed long ago (names and streets go, figures stay);
- `recalls`: the short notices owed to each partner that was given an erased case, until sent.

When a case is due is the adapter's law (scraper.retention), read by pipeline.erasure; the
files evictwatch wrote about an erased case are followed by evictwatch.jobs.erasure.
"""
