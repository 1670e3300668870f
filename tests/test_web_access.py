"""The workspace's doors: every route declares its roles and the guard keeps to them, sessions
expire, forms need their CSRF token, sign-in is throttled, and every answer carries the headers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import text
from starlette.routing import Route

from pipeline.store.accounts import Role
from pipeline.store.audit import Seen, audit_rows
from pipeline.store.browse import CaseFilter
from pipeline.store.contacts import attempts_on
from pipeline.store.erasure.erase import erase
from pipeline.store.landlord_view import landlords_filing
from pipeline.prepare import prepare
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import Hearing, Judgment
from tests.web_support import (OTHER_AID, PASSWORD, SENT, TENANTS, TODAY, USERS, case_record, csrf_of, make_site,
                               sign_in)
from web.app import DECLARED, create_app

# What a route is asked with, for the matrix: a real case of the legal-aid user's partner.
A_CASE = "/cases/alexandria/GV26000001-00"
EXAMPLES = {"/cases/{court}/{number}": A_CASE, "/cases/{court}/{number}/outreach": A_CASE + "/outreach"}


@pytest.fixture
def site(store):
    return make_site(store)


@pytest.fixture
def site_on_both(store_on_both):
    """For what reads the store in ways of its own: searches, erasure (SQLite and PostgreSQL)."""
    return make_site(store_on_both)


def declared_by_token(path: str) -> bool:
    return path.startswith("/api/v1/") and not path.endswith("openapi.json")


def _routes(site) -> list[tuple[str, str, frozenset | None]]:
    [(landlord, _, _)] = landlords_filing(site.store, CaseFilter(), limit=1)
    examples = {**EXAMPLES, "/landlords/{landlord_id}": f"/landlords/{landlord}",
                "/lists/{key}": "/lists/Alexandria%20Legal%20Aid%7Cweekly_list%7C2026-W48",
                "/api/v1/cases/{court}/{number}": "/api/v1/cases/alexandria/GV26000001-00"}
    assert all("{" not in examples.get(d.path, d.path) for d in DECLARED), "a route without an example"
    return [(method, examples.get(d.path, d.path), d.roles) for d in DECLARED for method in d.methods]


def test_every_route_of_the_app_is_declared_with_its_roles(site):
    app = create_app(site.ws).app
    served = [r for r in app.routes if isinstance(r, Route)]
    assert served and all(hasattr(r.endpoint, "declared") for r in served)
    public = {(d.path, m) for d in DECLARED if d.roles is None for m in d.methods}
    assert public == {("/sign-in", "GET"), ("/sign-in", "POST"), ("/second-factor", "GET"), ("/second-factor", "POST"),
                      ("/api/v1/openapi.json", "GET")}
    assert {d.path for d in DECLARED if d.by_token} == {"/api/v1/cases", "/api/v1/cases/{court}/{number}"}


@pytest.mark.parametrize("role", [None, *Role])
def test_the_role_matrix(site, role):
    client = site.signed_in(USERS[role]) if role else site.client()
    for method, path, roles in _routes(site):
        if path == "/sign-out":
            continue  # walked last: it ends the session
        if method == "GET":
            answer = client.get(path)
        else:
            page = client.get("/sign-in" if roles is None else "/", follow_redirects=True)
            token = csrf_of(page.text) if "csrf_token" in page.text else ""
            answer = client.post(path, data={"csrf_token": token})
        if declared_by_token(path):
            assert answer.status_code == 401, (role, method, path)  # a session opens nothing of the API
        elif roles is None:
            assert answer.status_code < 500, (method, path)
        elif role is None:
            assert answer.status_code in (302, 303, 307, 401), (method, path, answer.status_code)
            if answer.status_code != 401:
                assert answer.headers["location"].startswith("/sign-in"), (method, path)
        elif role in roles:
            # 400: let through, and the (empty) form judged by the page itself
            assert answer.status_code in (200, 303, 400), (role, method, path, answer.status_code)
        else:
            assert answer.status_code == 403, (role, method, path, answer.status_code)
        if role is not Role.LEGAL_AID:
            text = answer.text.upper()
            assert not any(name.split(",")[0] in text for name in TENANTS), (role, path)
            assert "ELM ST" not in text and "TENANT 4" not in text, (role, path)


def test_another_partners_case_is_not_there(site):
    theirs = site.signed_in(OTHER_AID)
    assert theirs.get(A_CASE).status_code == 404  # Alexandria's case, asked for by Arlington's legal aid
    ours = site.signed_in(USERS[Role.LEGAL_AID])
    assert ours.get(A_CASE).status_code == 200
    assert ours.get("/cases/arlington/GV26000003-00").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    assert client.post("/sign-out").status_code == 403
    assert client.post("/sign-out", data={"csrf_token": "0" * 64}).status_code == 403
    assert client.get("/search").status_code == 200  # still signed in
    anonymous = site.client()
    assert anonymous.post("/sign-in", data={"email": USERS[Role.OPERATOR], "password": PASSWORD}).status_code == 403


def test_sign_out_by_post_ends_the_session(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    page = client.get("/search")
    assert '<form method="post" action="/sign-out"' in page.text
    assert client.post("/sign-out", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert client.get("/search").status_code == 303


def test_cookies_are_httponly_and_samesite_and_every_answer_has_the_headers(site):
    client = site.client()
    form = client.get("/sign-in")
    answer = client.post("/sign-in", data={"email": USERS[Role.LEGAL_AID], "password": PASSWORD, "next": "",
                                           "csrf_token": csrf_of(form.text)})
    cookies = form.headers.get_list("set-cookie") + answer.headers.get_list("set-cookie")
    assert cookies and all("HttpOnly" in c and "SameSite=lax" in c for c in cookies)
    for page in (form, answer, client.get("/search"), client.get("/nowhere"), client.get("/static/workspace.css")):
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src" not in policy and "'unsafe-inline'" not in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"


def test_behind_https_cookies_are_secure(store):
    from web.settings import WebSettings

    site = make_site(store, settings=WebSettings(base_url="https://aid.example.org", secure_cookies=True))
    client = site.client()
    cookies = client.get("/sign-in").headers.get_list("set-cookie")
    assert cookies and all("Secure" in c for c in cookies)


def test_sessions_end_after_30_idle_minutes_and_12_hours(site):
    client = site.signed_in(USERS[Role.TASK_FORCE])
    for _ in range(25):  # a request every 29 minutes keeps it alive for 12 hours, no more
        site.clock.now += dt.timedelta(minutes=29)
        answer = client.get("/dashboard")
        if site.clock.now - dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.timezone.utc) <= dt.timedelta(hours=12):
            assert answer.status_code == 200
        else:
            assert answer.status_code == 303
            break
    else:
        pytest.fail("the session outlived 12 hours")
    client = site.signed_in(USERS[Role.TASK_FORCE])
    site.clock.now += dt.timedelta(minutes=31)
    assert client.get("/dashboard").status_code == 303


def test_twelve_wrong_passwords_lock_the_account_for_a_while(site):
    client = site.client()
    email = USERS[Role.OPERATOR]
    messages = {sign_in(client, email, "wrong password!").text.count("Sign-in failed") for _ in range(12)}
    assert messages == {1}
    locked = sign_in(client, email)  # the right password, too soon
    assert locked.status_code == 401 and "Sign-in failed" in locked.text
    unknown = sign_in(client, "nobody@example.org")
    assert re.sub(r'value="[^"]*"', "", unknown.text) == re.sub(r'value="[^"]*"', "", locked.text)
    site.clock.now += dt.timedelta(minutes=16)
    assert sign_in(site.client(), email).status_code == 303


def test_a_legal_aid_user_finds_a_tenant_by_name_in_either_order_and_opens_the_case(site_on_both):
    site = site_on_both
    client = site.signed_in(USERS[Role.LEGAL_AID])
    for typed in ("Jose Pena", "pena, jose", "PEÑA"):
        page = client.get("/search", params={"q": typed})
        numbers = re.findall(r'href="/cases/alexandria/(GV\d{8}-\d{2})"', page.text)
        assert numbers and "PEÑA, JOSÉ A" in page.text, typed
    assert "SMITH, ROBERT" in client.get("/search", params={"q": "Bob Smith"}).text
    case = client.get(f"/cases/alexandria/{numbers[0]}")
    assert case.status_code == 200 and "PEÑA, JOSÉ A" in case.text and "2A" in case.text
    assert "https://eapps.courts.state.va.us/gdcourts/" in case.text
    seen = audit_rows(site.store, user_email=USERS[Role.LEGAL_AID])
    assert (Seen.CASE, "alexandria", numbers[0]) in {(r.action, r.court_id, r.case_number) for r in seen}
    assert not any("PE" in (r.detail or "") for r in seen)  # what was typed is never kept


def test_search_lists_at_least_25_rows_and_pages_on(site_on_both):
    site = site_on_both
    client = site.signed_in(USERS[Role.LEGAL_AID])
    first = client.get("/search")
    rows = re.findall(r'href="/cases/(\w+)/(GV\d{8}-\d{2})"', first.text)
    assert len(rows) >= 25 and {court for court, _ in rows} == {"alexandria"}
    assert client.get("/search", params={"q": "22305"}).status_code == 200
    by_landlord = client.get("/search", params={"q": "orchard"}).text
    assert "ORCHARD RIDGE" in by_landlord and "BIRCH HOLLOW" not in by_landlord
    nothing = client.get("/search", params={"q": "!!!"})  # no name, no landlord
    assert nothing.status_code == 200 and 'href="/cases/' not in nothing.text and "No case matches" in nothing.text
    short = client.get("/search", params={"q": "r"})  # too short to be part of a landlord's name
    assert short.status_code == 200 and 'href="/cases/' not in short.text


def test_a_search_too_broad_for_the_landlords_says_so_and_still_finds_the_tenants(site, monkeypatch):
    monkeypatch.setattr("pipeline.store.browse.MOST_SPELLINGS", 0)
    client = site.signed_in(USERS[Role.LEGAL_AID])
    page = client.get("/search", params={"q": "Robert Smith"})
    assert page.status_code == 200 and "SMITH, ROBERT" in page.text
    assert "too many landlords" in client.get("/search", params={"q": "orchard"}).text


def test_an_erased_case_leaves_the_workspace_at_once_and_its_audit_rows_keep_only_its_token(site_on_both):
    site = site_on_both

    client = site.signed_in(USERS[Role.LEGAL_AID])
    assert client.get(A_CASE).status_code == 200
    with site.store.engine.connect() as conn:
        case_id = conn.execute(text("SELECT id FROM cases WHERE case_number = 'GV26000001-00'")).scalar_one()
    erase(site.store, [case_id], "expunged", today=dt.date(2026, 11, 27))
    assert client.get(A_CASE).status_code == 404
    assert "GV26000001-00" not in client.get("/search").text
    viewed = [r for r in audit_rows(site.store) if r.action is Seen.CASE]
    assert viewed and all(r.case_number != "GV26000001-00" and r.case_number.startswith("erased")
                          for r in viewed)


def test_the_dashboard_counts_filings_by_court_and_zip_and_marks_the_week_not_over(site):
    client = site.signed_in(USERS[Role.TASK_FORCE])
    every = client.get("/dashboard", params={"since": "2026-09-01", "until": "2026-11-27"}).text
    assert re.search(r"<strong>60</strong> filings", every)  # fixtures: 60 cases filed Sep 2 .. Oct 31
    one = client.get("/dashboard", params={"since": "2026-09-01", "until": "2026-11-27", "court": "arlington"}).text
    assert re.search(r"<strong>20</strong> filings", one)
    zip_only = client.get("/dashboard", params={"since": "2026-09-01", "until": "2026-11-27", "zip": "22305"}).text
    assert re.search(r"<strong>30</strong> filings", zip_only)
    assert '<tr class="partial"><td>2026-11-23 <span class="tag">partial</span>' in every  # today is Friday the 27th
    assert "ORCHARD RIDGE APTS LLC" in every and "22304" in every
    earlier = client.get("/dashboard", params={"since": "2026-08-03", "until": "2026-09-30"}).text
    assert '<tr class="no-data"><td>2026-08-24 <span class="tag">no data</span></td><td>–</td>' in earlier
    aid = site.signed_in(USERS[Role.LEGAL_AID])
    assert re.search(r"<strong>40</strong> filings",
                     aid.get("/dashboard", params={"since": "2026-09-01", "until": "2026-11-27"}).text)


def _outcome(text: str, label: str) -> int:
    return int(re.search(rf"<tr><td>{re.escape(label)}</td><td>(\d+)</td></tr>", text).group(1))


def test_the_dashboard_counts_removals_in_their_week_and_where_the_filings_stand(site):
    # Two August cases end in removals on Oct 13 and 14 (a week of the range), one in a dismissal.
    hearing = dict(type="Return", courtroom="2A")
    ended = [case_record("alexandria", 100 + n, dt.date(2026, 8, 3 + n), "DOE, LATER", "22304").model_copy(update={
        "hearings": (Hearing(date=dt.date(2026, 9, 1), result="Judgment", **hearing),),
        "judgment": Judgment(judgment="Plaintiff", possession=True, writ_issued_date=dt.date(2026, 10, 1),
                             writ_executed_date=dt.date(2026, 10, 13 + n))}) for n in range(2)]
    ended.append(case_record("alexandria", 103, dt.date(2026, 9, 8), "DOE, LATER", "22304").model_copy(update={
        "hearings": (Hearing(date=dt.date(2026, 10, 1), result="Dismissed", **hearing),)}))
    site.store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in ended])
    client = site.signed_in(USERS[Role.TASK_FORCE])
    text = client.get("/dashboard", params={"since": "2026-09-01", "until": "2026-11-27"}).text
    week = re.search(r'<tr class="complete"><td>2026-10-12</td><td>(\d+)</td><td>(\d+)</td>', text)
    assert week and week.group(2) == "2"  # filed in August, outside the range: removed within it
    assert _outcome(text, "Dismissed / non-suited") == 1 and _outcome(text, "Removed (writ executed)") == 0
    assert _outcome(text, "Pending") == 60 and "provisional" in text  # filed up to today: not heard yet
    august = client.get("/dashboard", params={"since": "2026-08-01", "until": "2026-08-31"}).text
    assert _outcome(august, "Removed (writ executed)") == 2
    assert re.search(r"<strong>2</strong> filings", august)
    spring = client.get("/dashboard", params={"since": "2026-03-01", "until": "2026-07-31"}).text
    assert "Cases filed in the last" not in spring and "<td>–</td><td>–</td>" in spring  # no data yet


def test_a_landlords_page_gives_its_spellings_filings_and_outcomes(site_on_both):
    site = site_on_both
    client = site.signed_in(USERS[Role.TASK_FORCE])
    listed = client.get("/landlords").text
    found = dict(re.findall(r'<a href="/landlords/([^"]+)">([^<]+)</a></td><td>(\d+)', listed) and
                 [(name, int(n)) for _, name, n in re.findall(r'<a href="/landlords/([^"]+)">([^<]+)</a></td><td>(\d+)',
                                                              listed)])
    assert sum(found.values()) == 60 and len(found) == 2
    first = re.search(r'<a href="(/landlords/[^"]+)">', listed).group(1)
    page = client.get(first).text
    assert "<strong>30</strong> filings" in page and "Filed as" in page and "2026-09" in page
    assert client.get("/landlords/no-such-group").status_code == 404
    aid = site.signed_in(USERS[Role.LEGAL_AID])
    assert sum(int(n) for n in re.findall(r'</a></td><td>(\d+)</td>', aid.get("/landlords").text)) == 40


def test_a_download_holds_every_case_of_the_search_neutralized_and_is_audited(site):
    import csv
    import io

    import openpyxl

    with site.store.engine.begin() as conn:
        conn.execute(text("UPDATE parties SET name = '=HYPERLINK(\"http://x\")' WHERE name = 'DOE, TENANT 10'"))
    client = site.signed_in(USERS[Role.LEGAL_AID])
    answer = client.get("/search/download", params={"format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 40 and {r["Court"] for r in rows} == {"Alexandria General District Court"}
    assert not any(r["Tenants"].startswith("=") for r in rows) and any("HYPERLINK" in r["Tenants"] for r in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/search/download",
                                                         params={"format": "xlsx", "q": "22304"}).content)).active
    assert sheet.max_row - 1 == 20
    assert client.get("/search/download", params={"format": "pdf"}).status_code == 400
    assert [r.detail for r in audit_rows(site.store) if r.action is Seen.DOWNLOAD] == ["20 cases as xlsx",
                                                                                       "40 cases as csv"]
    assert site.signed_in(USERS[Role.TASK_FORCE]).get("/search/download").status_code == 403


def test_a_partners_scope_is_what_its_lists_may_carry(site_on_both):
    from evictwatch.config import PartnerConfig
    from evictwatch.jobs.mail import filters_of
    from evictwatch.jobs.web import partner_scope
    from pipeline.store.browse import count_cases
    from pipeline.store.notices import eviction_cases

    store = site_on_both.store
    status = next(eviction_cases(store)).status
    for filters in ({"zips": ["22305"]}, {"landlords": ["Orchard Ridge Apts LLC"]}, {"courts": ["arlington"]},
                    {"statuses": [status], "zips": ["22304"]}, {"min_amount": 100}, {}):
        partner = PartnerConfig(name="P", emails=["p@example.org"], filters=filters)
        admitted = [c for c in eviction_cases(store)
                    if filters_of(partner).admits(c.court, c.tenant.zip5 if c.tenant else None, c.principal,
                                                  c.landlord, c.filed_as, status=c.status)]
        assert count_cases(store, partner_scope(partner)) == len(admitted) > 0, filters


def test_a_second_factor_is_asked_once_good_once_and_gives_a_new_session(site):
    import pyotp

    from pipeline.store.accounts import add_user
    from web.passwords import hash_password, new_totp_secret

    secret = new_totp_secret()
    add_user(site.store, "two@legal-aid.example.org", Role.LEGAL_AID, hash_password(PASSWORD),
             partner="Alexandria Legal Aid", totp_secret=secret)
    client = site.client()
    answer = sign_in(client, "two@legal-aid.example.org")
    assert answer.headers["location"] == "/second-factor"
    assert client.get("/search").headers["location"] == "/second-factor"  # nothing before the code
    before = client.cookies.get("ew_session")
    form = client.get("/second-factor")
    assert client.post("/second-factor", data={"code": "000000", "csrf_token": csrf_of(form.text)}).status_code == 401
    code = pyotp.TOTP(secret).at(site.clock.now)
    done = client.post("/second-factor", data={"code": code, "csrf_token": csrf_of(form.text)})
    assert done.status_code == 303 and client.get("/search").status_code == 200
    assert client.cookies.get("ew_session") != before
    again = site.client()
    sign_in(again, "two@legal-aid.example.org")
    form = again.get("/second-factor")
    assert again.post("/second-factor", data={"code": code, "csrf_token": csrf_of(form.text)}).status_code == 401
    out = again.post("/sign-out", data={"csrf_token": csrf_of(form.text)})  # leaving before the code
    assert out.status_code == 303 and out.headers["location"] == "/sign-in"


def test_wrong_codes_lock_the_account_even_when_the_password_is_given_again(site):
    from pipeline.store.accounts import add_user
    from web.passwords import hash_password, new_totp_secret

    secret = new_totp_secret()
    add_user(site.store, "two@legal-aid.example.org", Role.LEGAL_AID, hash_password(PASSWORD),
             partner="Alexandria Legal Aid", totp_secret=secret)
    refused = 0
    for _ in range(5):  # the password again after every three wrong codes
        client = site.client()
        if sign_in(client, "two@legal-aid.example.org").status_code != 303:
            refused += 1
            continue
        form = client.get("/second-factor")
        for _ in range(3):
            client.post("/second-factor", data={"code": "000000", "csrf_token": csrf_of(form.text)})
    assert refused >= 1  # ten failures, whichever step they came at


def test_an_expired_sessions_cookie_does_not_stop_the_next_sign_in(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    site.clock.now += dt.timedelta(minutes=31)
    assert client.get("/search").status_code == 303
    assert sign_in(client, USERS[Role.LEGAL_AID]).status_code == 303
    assert client.get("/search").status_code == 200


def test_odd_parameters_answer_a_page_not_an_error(site):
    aid = site.signed_in(USERS[Role.LEGAL_AID])
    assert aid.get("/search", params={"after": "2026-13-45.1"}).status_code == 200
    analyst = site.signed_in(USERS[Role.TASK_FORCE])
    for params in ({"until": "0001-01-01"}, {"since": "9999-12-25", "until": "9999-12-31"},
                   {"since": "0001-01-02", "until": "9999-12-20"}, {"since": "yesterday"}):
        answer = analyst.get("/dashboard", params=params)
        assert answer.status_code == 200 and answer.text.count('<tr class="') <= 53 * 5 + 2, params


def test_a_search_records_each_case_it_showed(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    page = client.get("/search", params={"q": "22305"}).text
    shown = set(re.findall(r'href="/cases/alexandria/(GV\d{8}-\d{2})"', page))
    recorded = {r.case_number for r in audit_rows(site.store) if r.action is Seen.SEARCH}
    assert shown and recorded == shown


def test_a_partners_past_list_is_shown_again_as_its_cases_stand_now(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    listed = client.get("/lists").text
    link = re.search(r'href="(/lists/[^"]+)">Weekly list</a></td><td>2026-W48', listed).group(1)
    page = client.get(link).text
    assert sorted(re.findall(r'href="/cases/alexandria/(GV\d{8}-\d{2})"', page)) == SENT["Alexandria Legal Aid"]
    assert {r.case_number for r in audit_rows(site.store) if r.action is Seen.LIST} == set(SENT["Alexandria Legal Aid"])
    theirs = site.signed_in(OTHER_AID)
    assert theirs.get(link).status_code == 404  # Alexandria's list, asked for by Arlington's legal aid
    assert "2026-W48" in theirs.get("/lists").text and "GV26000001-00" not in theirs.get("/lists").text


def test_a_case_page_shows_what_changed_and_the_partners_watch_list_matches(site):
    from pipeline.prepare import prepare
    from pipeline.store.watch import NewMatch
    from scraper.courts.va_gdc.vocab import VOCABULARY
    from scraper.records import Hearing
    from tests.web_support import TODAY, case_record

    record = case_record("alexandria", 1, dt.date(2026, 9, 2), TENANTS[1], "22304")
    heard = record.model_copy(update={"hearings": (Hearing(date=dt.date(2026, 9, 23), type="Return", courtroom="2A",
                                                           result="Dismissed"),)})
    site.store.save([prepare(heard, TODAY, "America/New_York", VOCABULARY)])
    site.store.watch.add_matches("Alexandria Legal Aid", [NewMatch("row-7", "alexandria", "GV26000001-00", "name_zip",
                                                                   "to review", 64.0, "same surname; same ZIP code")])
    site.store.watch.add_matches("Arlington Tenants", [NewMatch("theirs-1", "alexandria", "GV26000001-00", "name",
                                                                "to review", 20.0, "their evidence")])
    page = site.signed_in(USERS[Role.LEGAL_AID]).get(A_CASE).text
    timeline = page.split("What changed")[1].split("</table>")[0]
    assert "Dismissed" in timeline and "2026-" in timeline
    assert "row row-7: to review — same surname; same ZIP code" in page
    assert "theirs-1" not in page and "their evidence" not in page  # another partner's list


def test_passwords_are_hashed_with_argon2id_at_its_recommended_cost():
    from web import passwords

    # The workspace's own hasher (the tests use a cheaper one: tests/web_support.py).
    assert passwords._DUMMY.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.hash_password("correct horse battery").startswith("$argon2id$")


def test_the_dashboard_measures_what_the_scrapes_see_again_once_a_run_is_recorded(site):
    client = site.signed_in(USERS[Role.TASK_FORCE])
    params = {"since": "2026-09-01", "until": "2026-11-27", "court": "alexandria"}
    assert '<tr class="provisional">' not in client.get("/dashboard", params=params).text  # no scrape yet
    # A run that looks at hearings up to Nov 27 (lags: 21 days): stored as it starts, ok as it ends.
    run = site.store.start_run("alexandria", dt.date(2026, 9, 1), dt.date(2026, 11, 27), as_of=dt.date(2026, 11, 26))
    assert '<tr class="provisional">' not in client.get("/dashboard", params=params).text  # still running
    site.store.finish_run(run, outcome="ok")
    again = client.get("/dashboard", params=params).text
    assert '<tr class="provisional"><td>2026-11-09 <span class="tag">provisional</span>' in again
    assert '<tr class="partial"><td>2026-08-31 <span class="tag">partial</span>' in again


def test_a_legal_aid_user_records_outreach_on_the_case_page_for_its_partner_only(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    page = client.get(A_CASE)
    assert "No outreach recorded yet." in page.text and 'name="method"' in page.text
    form = {"date": "2026-11-20", "method": "call", "result": "left_message", "note": "after 5pm\u202e",
            "csrf_token": csrf_of(page.text)}
    assert client.post(A_CASE + "/outreach", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 403
    sent = client.post(A_CASE + "/outreach", data=form)
    assert sent.status_code == 303 and sent.headers["location"].endswith("?outreach=recorded#outreach")
    shown = client.get(sent.headers["location"]).text
    assert "Recorded." in shown and "<td>2026-11-20</td><td>call</td><td>left a message</td><td>after 5pm</td>" in shown
    again = client.post(A_CASE + "/outreach", data=form)
    assert again.headers["location"].endswith("?outreach=already#outreach")
    late = client.post(A_CASE + "/outreach", data={**form, "date": "2026-11-28"})  # after today (the 27th)
    assert "outreach=invalid" in late.headers["location"] and "Not recorded" in client.get(late.headers["location"]).text
    theirs = site.signed_in(OTHER_AID)
    assert theirs.post(A_CASE + "/outreach", data={**form, "csrf_token": csrf_of(theirs.get("/search").text)}
                       ).status_code == 404
    [attempt] = attempts_on(site.store, "Alexandria Legal Aid", "alexandria", "GV26000001-00")
    assert attempt.note == "after 5pm"
    with site.store.engine.connect() as conn:
        assert conn.execute(text("SELECT recorded_by FROM contact_attempts")).scalar_one() == USERS[Role.LEGAL_AID]
