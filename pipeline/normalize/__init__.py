"""Pure normalizers for what a court page shows: party names and addresses.

Result vocabularies are each court system's own: `scraper.vocabulary` and its adapter.

Everything here is a pure function of its arguments (the caches only remember answers),
never raises on odd input, and returns frozen values.
"""

from pipeline.normalize.addresses import NormalizedAddress, normalize_address
from pipeline.normalize.names import NormalizedParty, PersonName, normalize_party, parse_person, person_key
from pipeline.normalize.orgs import is_organization
from pipeline.normalize.text import ascii_fold

__all__ = [
    "PersonName",
    "NormalizedParty",
    "NormalizedAddress",
    "normalize_party",
    "normalize_address",
    "ascii_fold",
    "person_key",
    "parse_person",
    "is_organization",
]
