"""People, organisations and roles through the API: /me, members, invitations, the last-admin rule,
organisation choice (X-Org-Id), and API keys with a role, scopes and an expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from tradewind.accounts import members
from tradewind.accounts.principal import Role
from tradewind.errors import Conflict
from tradewind.services import apikeys

from tests.unit.api.accounts_support import Pool, jwks_url, pool, pool_key  # noqa: F401 (fixtures)

ADA, BOB, CY = "11111111-aaaa", "22222222-bbbb", "33333333-cccc"


@pytest.fixture
def acme(pool: Pool) -> Pool:  # noqa: F811
    """Ada is the admin of acme; Bob is nobody yet."""
    members.add_member("acme", ADA, "ada@acme.test", Role.ADMIN)
    return pool


def test_a_person_in_no_organisation_sees_me_but_nothing_else(api: TestClient, acme: Pool) -> None:
    bob = acme.headers(BOB, "bob@acme.test")
    r = api.get("/me", headers=bob)
    assert r.status_code == 200
    body = r.json()
    assert (body["kind"], body["user_id"], body["org_id"], body["role"], body["orgs"]) == (
        "user",
        BOB,
        None,
        None,
        [],
    )
    r = api.get("/jobs", headers=bob)
    assert r.status_code == 403
    assert "not a member of any organisation" in r.json()["detail"]


def test_invite_accept_and_roles(api: TestClient, acme: Pool) -> None:
    ada, bob = acme.headers(ADA, "ada@acme.test"), acme.headers(BOB, "Bob@Acme.test")
    r = api.post("/org/invitations", headers=ada, json={"email": "BOB@acme.test", "role": "viewer"})
    assert r.status_code == 201, r.text
    invitation = r.json()
    assert (invitation["email"], invitation["role"], invitation["invited_by"]) == (
        "bob@acme.test",
        "viewer",
        f"user:{ADA}",
    )
    assert [i["invitation_id"] for i in api.get("/org/invitations", headers=ada).json()] == [
        invitation["invitation_id"]
    ]
    # Bob sees it on /me (emails compare case-insensitively) and accepts it.
    assert [i["org_id"] for i in api.get("/me", headers=bob).json()["invitations"]] == ["acme"]
    r = api.post(f"/me/invitations/{invitation['invitation_id']}/accept", headers=bob)
    assert r.json() == {"org_id": "acme", "role": "viewer"}
    again = api.post(f"/me/invitations/{invitation['invitation_id']}/accept", headers=bob)
    assert again.status_code == 404
    assert api.get("/org/invitations", headers=ada).json() == []
    # A viewer reads but cannot run, edit or manage.
    assert api.get("/jobs", headers=bob).status_code == 200
    r = api.post("/watchlists", headers=bob, json={"name": "w", "symbols": []})
    assert r.status_code == 403
    assert r.json()["detail"] == "this operation needs the 'researcher' role; yours is 'viewer'"
    assert (
        api.post("/org/invitations", headers=bob, json={"email": "x@y.io", "role": "admin"}).status_code
        == 403
    )
    # Ada promotes Bob; the change is seen at once by this process.
    r = api.patch(f"/org/members/{BOB}", headers=ada, json={"role": "researcher"})
    assert r.json()["role"] == "researcher"
    assert api.post("/watchlists", headers=bob, json={"name": "w", "symbols": []}).status_code == 201
    listed = api.get("/org/members", headers=bob).json()["items"]
    assert {(m["member_id"], m["role"]) for m in listed} == {(ADA, "admin"), (BOB, "researcher")}


def test_an_invitation_is_for_its_email_only_and_expires(
    api: TestClient, acme: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = acme.headers(ADA, "ada@acme.test")
    invitation = api.post(
        "/org/invitations", headers=ada, json={"email": "bob@acme.test", "role": "admin"}
    ).json()
    mallory = acme.headers(CY, "mallory@evil.test")
    assert (
        api.post(f"/me/invitations/{invitation['invitation_id']}/accept", headers=mallory).status_code == 404
    )
    dup = api.post("/org/invitations", headers=ada, json={"email": "bob@acme.test", "role": "viewer"})
    assert dup.status_code == 409
    # Past its expiry the invitation is gone from every list and cannot be accepted.
    later = datetime.now(UTC) + timedelta(days=8)
    monkeypatch.setattr(members, "_now", lambda: later)
    bob = acme.headers(BOB, "bob@acme.test")
    assert api.get("/org/invitations", headers=ada).json() == []
    assert api.post(f"/me/invitations/{invitation['invitation_id']}/accept", headers=bob).status_code == 404


def test_bad_invitations_name_the_field(api: TestClient, acme: Pool) -> None:
    ada = acme.headers(ADA, "ada@acme.test")
    r = api.post("/org/invitations", headers=ada, json={"email": "not-an-email", "role": "owner"})
    assert r.status_code == 422
    assert {tuple(e["loc"]) for e in r.json()["errors"]} == {("body", "email"), ("body", "role")}


def test_the_last_admin_can_be_neither_demoted_nor_removed(api: TestClient, acme: Pool) -> None:
    ada = acme.headers(ADA, "ada@acme.test")
    for r in (
        api.patch(f"/org/members/{ADA}", headers=ada, json={"role": "viewer"}),
        api.delete(f"/org/members/{ADA}", headers=ada),
    ):
        assert r.status_code == 409
        assert "at least one admin" in r.json()["detail"]
    members.add_member("acme", BOB, "bob@acme.test", Role.ADMIN)
    assert api.patch(f"/org/members/{ADA}", headers=ada, json={"role": "viewer"}).status_code == 200
    bob = acme.headers(BOB, "bob@acme.test")
    assert api.delete(f"/org/members/{BOB}", headers=bob).status_code == 409  # now Bob is the last
    assert api.delete(f"/org/members/{ADA}", headers=bob).status_code == 204
    assert api.get("/org/members", headers=bob).json()["items"][0]["member_id"] == BOB
    assert api.delete(f"/org/members/{ADA}", headers=bob).status_code == 404


def test_two_concurrent_demotions_leave_one_admin(acme: Pool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both read 'admin' before either writes: the count's condition refuses the second."""
    members.add_member("acme", BOB, "bob@acme.test", Role.ADMIN)
    read_before = {uid: members.get_member("acme", uid) for uid in (ADA, BOB)}
    real_get = members.get_member
    # Each demotion acts on what it read before the other one wrote (the race).
    monkeypatch.setattr(members, "get_member", lambda org, uid: read_before[uid])
    members.change_role("acme", ADA, Role.VIEWER)
    with pytest.raises(Conflict, match="at least one admin"):
        members.change_role("acme", BOB, Role.VIEWER)
    assert real_get("acme", BOB).role is Role.ADMIN
    assert real_get("acme", ADA).role is Role.VIEWER


def test_a_person_in_two_organisations_picks_one(api: TestClient, acme: Pool) -> None:
    members.add_member("globex", ADA, "ada@acme.test", Role.VIEWER)
    ada = acme.headers(ADA, "ada@acme.test")
    me = api.get("/me", headers=ada).json()
    assert (me["org_id"], me["role"]) == ("acme", "admin")  # the first by organisation id
    assert me["orgs"] == [{"org_id": "acme", "role": "admin"}, {"org_id": "globex", "role": "viewer"}]
    in_globex = {**ada, "X-Org-Id": "globex"}
    assert api.get("/me", headers=in_globex).json()["role"] == "viewer"
    assert api.post("/watchlists", headers=in_globex, json={"name": "w", "symbols": []}).status_code == 403
    r = api.get("/jobs", headers={**ada, "X-Org-Id": "initech"})
    assert r.status_code == 403
    assert "not a member of organisation 'initech'" in r.json()["detail"]


def test_keys_carry_a_role_scopes_and_an_expiry(api: TestClient, h: dict[str, str]) -> None:
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = api.post(
        "/api-keys", headers=h, json={"name": "ci", "role": "viewer", "scopes": ["jobs"], "expires_at": soon}
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["role"], created["scopes"]) == ("viewer", ["jobs"])
    viewer = {"X-Api-Key": created["secret"]}
    assert api.get("/jobs", headers=viewer).status_code == 200
    r = api.get("/watchlists", headers=viewer)
    assert r.status_code == 403
    assert "scopes (jobs) do not include 'watchlists'" in r.json()["detail"]
    assert api.post("/api-keys", headers=viewer, json={"name": "x"}).status_code == 403
    listed = {k["key_id"]: k for k in api.get("/api-keys", headers=h).json()["items"]}
    assert listed[created["key_id"]]["role"] == "viewer"
    assert listed[created["key_id"]]["expires_at"] is not None


def test_an_existing_key_without_a_role_is_an_admin_key(api: TestClient, h: dict[str, str]) -> None:
    me = api.get("/me", headers=h).json()
    assert (me["kind"], me["org_id"], me["role"], me["scopes"]) == ("key", "acme", "admin", [])


def test_an_expired_key_is_refused_naming_its_expiry(api: TestClient, aws: None) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    created = apikeys.create_api_key("acme", "old", Role.ADMIN, (), past)
    r = api.get("/jobs", headers={"X-Api-Key": created.secret})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("API key expired at ")
    assert "www-authenticate" in r.headers


def test_bad_key_requests_name_the_field(api: TestClient, h: dict[str, str]) -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    r = api.post(
        "/api-keys", headers=h, json={"name": "x", "role": "god", "scopes": ["nope"], "expires_at": past}
    )
    assert r.status_code == 422
    assert {e["loc"][1] for e in r.json()["errors"]} == {"role", "scopes", "expires_at"}


def test_a_key_cannot_act_in_another_organisation(api: TestClient, h: dict[str, str]) -> None:
    r = api.get("/jobs", headers={**h, "X-Org-Id": "globex"})
    assert r.status_code == 403
    assert "another organisation" in r.json()["detail"]
    assert api.get("/jobs", headers={**h, "X-Org-Id": "acme"}).status_code == 200


def test_a_key_cannot_accept_an_invitation(api: TestClient, h: dict[str, str]) -> None:
    r = api.post("/me/invitations/0123456789abcdef/accept", headers=h)
    assert r.status_code == 403


def test_a_browser_may_send_the_organisation_header(api: TestClient) -> None:
    r = api.options(
        "/jobs",
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,x-org-id",
        },
    )
    assert r.status_code == 200
    assert "x-org-id" in r.headers["access-control-allow-headers"].lower()


def test_a_signed_in_person_gets_a_websocket_ticket(api: TestClient, acme: Pool) -> None:
    from tradewind.realtime import service

    r = api.post("/realtime/tickets", headers=acme.headers(ADA, "ada@acme.test"))
    assert r.status_code == 201, r.text
    accepted = service.connect("conn-ada", r.json()["ticket"])
    assert (accepted.tenant_id, accepted.key_id) == ("acme", None)
    with pytest.raises(Exception, match="ticket"):
        service.connect("conn-again", r.json()["ticket"])  # single use
