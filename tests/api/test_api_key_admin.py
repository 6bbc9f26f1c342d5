"""API keys and administration: an admin's view and revocation of a user's keys, the
revocation on demotion and deletion, and the audit trail of keys."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.api_key_fixtures import KeyHolder
from tests.api.conftest import Account
from tests.api.generation_fixtures import ada, admin, api, bob  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401


def test_an_admin_lists_and_revokes_a_users_keys(
    api: TestClient, admin: Account, ada: Account, bob: Account
) -> None:
    holder = KeyHolder(api, ada, "phone")
    listed = api.get(f"/users/{ada.id}/api-keys", headers=admin.headers)
    assert listed.status_code == 200
    assert [k["name"] for k in listed.json()["data"]] == ["phone"]
    assert holder.key not in listed.text
    assert_problem(api.get("/users/nope/api-keys", headers=admin.headers), 404, "not_found")
    wrong_owner = api.delete(f"/users/{bob.id}/api-keys/{holder.id}", headers=admin.headers)
    assert_problem(wrong_owner, 404, "not_found")
    gone = api.delete(f"/users/{ada.id}/api-keys/{holder.id}", headers=admin.headers)
    assert gone.status_code == 204
    assert_problem(api.get("/auth/me", headers=holder.headers), 401, "token_invalid")
    assert_problem(api.get(f"/users/{ada.id}/api-keys", headers=ada.headers), 403, "forbidden")


def test_creation_and_revocation_are_audited(api: TestClient, admin: Account, ada: Account) -> None:
    mine = KeyHolder(api, ada, "mine")
    theirs = KeyHolder(api, ada, "theirs")
    api.delete(f"/api-keys/{mine.id}", headers=ada.headers)
    api.delete(f"/users/{ada.id}/api-keys/{theirs.id}", headers=admin.headers)
    events = api.get("/admin/audit", headers=admin.headers).json()["data"]
    keyed = [(e["action"], e["actor_id"], e["target_id"], e["detail"]) for e in events]
    created = [k for k in keyed if k[0] == "api_key_created"]
    revoked = [k for k in keyed if k[0] == "api_key_revoked"]
    assert len(created) == 2 and all(k[1] == ada.id and k[2] == ada.id for k in created)
    assert {k[1] for k in revoked} == {ada.id, admin.id}
    assert any(mine.id in k[3] and "owner" in k[3] for k in revoked)
    assert any(theirs.id in k[3] and "admin" in k[3] for k in revoked)
    assert not any(mine.key in str(e) or theirs.key in str(e) for e in events)


def test_a_demotion_revokes_the_keys_and_a_promotion_does_not(
    api: TestClient, admin: Account, ada: Account
) -> None:
    before = KeyHolder(api, ada, "before")
    api.put(f"/users/{ada.id}/role", json={"role": "admin"}, headers=admin.headers)
    assert api.get("/auth/me", headers=before.headers).json()["role"] == "admin"
    api.put(f"/users/{ada.id}/role", json={"role": "user"}, headers=admin.headers)
    assert_problem(api.get("/auth/me", headers=before.headers), 401, "token_invalid")
    events = api.get("/admin/audit", headers=admin.headers).json()["data"]
    assert any(e["action"] == "api_key_revoked" and "demoted" in e["detail"] for e in events)


def test_deleting_a_user_deletes_their_keys(api: TestClient, admin: Account, ada: Account) -> None:
    holder = KeyHolder(api, ada)
    assert api.delete(f"/users/{ada.id}", headers=admin.headers).status_code == 204
    assert_problem(api.get("/auth/me", headers=holder.headers), 401, "token_invalid")
