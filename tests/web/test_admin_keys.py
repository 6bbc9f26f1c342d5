"""An admin's pages of a user's API keys: the link from the users table, the list, revoke."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token

ADA = "ada@example.com"


def test_the_users_table_links_each_users_keys(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    ada = fake_api.user_id(ADA)

    page = as_admin.get("/admin/users").text

    assert f'data-testid="user-keys" href="/admin/users/{ada}/api-keys">Keys</a>' in page


def test_a_users_keys_are_listed_with_revoke_links(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user(ADA)
    ada = fake_api.user_id(ADA)
    fake_api.keys.add(ADA, "laptop", last_used_at="2025-03-02T08:00:00Z")
    fake_api.keys.add("root@example.com", "mine")

    page = as_admin.get(f"/admin/users/{ada}/api-keys").text

    assert f"GET /users/{ada}/api-keys" in fake_api.calls
    assert "API keys of ada@<wbr>example.com" in page
    assert "laptop" in page and "mine" not in page
    assert f'href="/admin/users/{ada}/api-keys/k0/revoke"' in page
    assert "agk_secret0000x" not in page


def test_revoking_a_users_key_asks_first(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    ada = fake_api.user_id(ADA)
    fake_api.keys.add(ADA, "laptop")
    path = f"/admin/users/{ada}/api-keys/k0/revoke"

    confirm = as_admin.get(path).text
    assert "of <strong>ada@example.com</strong>?" in confirm
    assert f'action="{path}"' in confirm
    assert not any(call.startswith("DELETE") for call in fake_api.calls)

    response = as_admin.post(path, data={"csrf_token": csrf_token(as_admin, path)})

    assert response.status_code == 302
    assert response.location == f"/admin/users/{ada}/api-keys"
    assert f"DELETE /users/{ada}/api-keys/k0" in fake_api.calls
    page = as_admin.get(response.location).text
    assert "The key was revoked" in page and 'data-testid="no-keys"' in page


def test_revoking_needs_the_csrf_token(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    fake_api.keys.add(ADA)

    response = as_admin.post(f"/admin/users/{fake_api.user_id(ADA)}/api-keys/k0/revoke")

    assert response.status_code == 400
    assert "k0" in fake_api.keys.keys


def test_a_key_already_gone_is_said_so(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    ada = fake_api.user_id(ADA)
    fake_api.keys.add(ADA)
    path = f"/admin/users/{ada}/api-keys/k0/revoke"
    token = csrf_token(as_admin, path)
    del fake_api.keys.keys["k0"]

    assert as_admin.get(path).status_code == 302
    response = as_admin.post(path, data={"csrf_token": token})

    assert response.location == f"/admin/users/{ada}/api-keys"
    assert "already revoked" in as_admin.get(response.location).text


def test_an_unknown_user_leads_back_to_the_users(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    response = as_admin.get("/admin/users/u999/api-keys")

    assert response.status_code == 302 and response.location == "/admin/users"
    assert "That user no longer exists." in as_admin.get("/admin/users").text
    assert as_admin.get("/admin/users/u999/api-keys/k0/revoke").status_code == 302


def test_a_user_who_is_no_admin_gets_403(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("bob@example.com")
    bob = fake_api.user_id("bob@example.com")
    fake_api.keys.add("bob@example.com")
    path = f"/admin/users/{bob}/api-keys/k0/revoke"

    listing = signed_in.get(f"/admin/users/{bob}/api-keys")
    confirm = signed_in.get(path)
    revoke = signed_in.post(path, data={"csrf_token": csrf_token(signed_in, "/account/api-keys")})

    assert (listing.status_code, confirm.status_code, revoke.status_code) == (403, 403, 403)
    assert "Admins only" in listing.text
    assert "k0" in fake_api.keys.keys


def test_malformed_ids_are_404_without_an_api_call(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    assert as_admin.get("/admin/users/u.1/api-keys").status_code == 404
    assert as_admin.get("/admin/users/u1/api-keys/k.0/revoke").status_code == 404
    assert not any(".1" in call or "k.0" in call for call in fake_api.calls)
