"""The courts a Virginia GDC portal serves, read from its welcome page (issue 33): the saved
page's JSON is in tests/golden/va-gdc/hand-welcome-court-list.json; here, the simulator's page
and the layouts that must fail loudly rather than list no court."""

from __future__ import annotations

import pytest

from scraper.courts.va_gdc.court_list import ListedCourt, listed_courts
from scraper.courts.va_gdc.sim import pages
from scraper.courts.va_gdc.sim.names import COURTS
from scraper.errors import LayoutError


def test_the_simulators_welcome_page_lists_every_court_it_serves_in_order():
    assert listed_courts(pages.welcome_page("510")) == [ListedCourt(code, p.name) for code, p in COURTS.items()]


@pytest.mark.parametrize("html, why", [
    ("<html><body><p>Welcome</p></body></html>", "no hidden courtFips inputs"),
    ('<input type="hidden" name="courtFips" value="013"><input type="hidden" name="courtFips" value="510">'
     '<input type="hidden" name="courtName" value="Arlington General District Court">', "2 courtFips inputs but 1"),
    ('<input type="hidden" name="courtFips" value="13"><input type="hidden" name="courtName" value="Arlington">',
     "three digits, not '13'"),
    ('<input type="hidden" name="courtFips" value="013"><input type="hidden" name="courtName" value=" ">',
     "court 013 has no name"),
])
def test_a_court_list_that_does_not_read_is_a_layout_change(html, why):
    with pytest.raises(LayoutError, match="court list") as raised:
        listed_courts(html)
    assert why in str(raised.value)
