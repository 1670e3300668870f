"""The JSON API as a partner's case-management system uses it: a token, pages of changes in the
export schema, one case, the rate limit, and nothing beyond the partner's own cases."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.store.api_tokens import add_token, revoke_token
from pipeline.store.audit import Seen, audit_rows
from pipeline.store.browse import count_cases
from tests.web_support import make_site
from web.api import new_token
from web.settings import WebSettings


@pytest.fixture
def api(store_on_both):
    site = make_site(store_on_both, settings=WebSettings(api_per_minute=30))
    token, hashed = new_token()
    made = add_token(site.store, "Alexandria Legal Aid", hashed)
    client = site.client()
    client.headers["authorization"] = f"Bearer {token}"
    return site, client, made


def test_pages_of_changes_hold_each_of_the_partners_cases_once_in_the_export_schema(api):
    site, client, _ = api
    seen, after = [], None
    while True:
        answer = client.get("/api/v1/cases", params={"size": 7, **({"after": after} if after else {})})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
        body = answer.json()
        seen += body["cases"]
        after = body["next"]
        if after is None:
            break
    numbers = [c["case_number"] for c in seen]
    assert len(numbers) == len(set(numbers)) == count_cases(site.store, site.ws.partners["Alexandria Legal Aid"]) == 40
    assert {c["court"] for c in seen} == {"alexandria"}
    case = seen[0]
    assert {"defendants", "hearings", "status", "landlord", "filed_date"} <= set(case)
    one = client.get(f"/api/v1/cases/alexandria/{case['case_number']}").json()
    assert one["case_number"] == case["case_number"] and one["defendants"] == case["defendants"]
    later = client.get("/api/v1/cases", params={"since": (dt.datetime.now(dt.timezone.utc)
                                                          + dt.timedelta(days=1)).isoformat()}).json()
    assert later == {"cases": [], "next": None}
    assert {r.case_number for r in audit_rows(site.store) if r.action is Seen.API and r.case_number} == set(numbers)


def test_nothing_without_a_live_token_nor_beyond_the_partner(api):
    site, client, made = api
    assert client.get("/api/v1/cases/arlington/GV26000003-00").status_code == 404  # another partner's
    assert client.get("/api/v1/cases", params={"size": 0}).status_code == 400
    anonymous = site.client()
    answer = anonymous.get("/api/v1/cases")
    assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Bearer")
    signed_in = site.signed_in("aid@legal-aid.example.org")  # a browser session opens nothing here
    assert signed_in.get("/api/v1/cases").status_code == 401
    anonymous.headers["authorization"] = "Bearer ew_not-a-token"
    assert anonymous.get("/api/v1/cases").status_code == 401
    assert anonymous.get("/api/v1/openapi.json").json()["paths"]["/api/v1/cases"]["get"]["security"]
    revoke_token(site.store, made.id)
    assert client.get("/api/v1/cases").status_code == 401


def test_a_token_over_its_rate_waits_for_the_next_minute(api):
    site, client, _ = api
    codes = [client.get("/api/v1/cases", params={"size": 1}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    site.clock.now += dt.timedelta(minutes=1)
    assert client.get("/api/v1/cases", params={"size": 1}).status_code == 200
