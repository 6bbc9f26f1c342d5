"""session.py: one silent refresh on an expired access token, else back to sign-in."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token, sign_in

EXPIRED = "Your session has expired. Please sign in again."


def test_expired_access_token_is_refreshed_once_and_the_call_retried(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    with signed_in.session_transaction() as before:
        old_pair = (before["access_token"], before["refresh_token"])
    fake_api.expire_access_tokens()
    fake_api.calls.clear()

    response = signed_in.get("/")

    assert response.status_code == 200
    assert "ada@example.com" in response.text
    assert fake_api.calls == ["GET /auth/me", "POST /auth/refresh", "GET /auth/me"]
    with signed_in.session_transaction() as after:
        assert (after["access_token"], after["refresh_token"]) != old_pair


def test_failed_refresh_sends_the_user_to_sign_in_and_back(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.expire_access_tokens()
    fake_api.revoke_refresh_tokens()

    response = signed_in.get("/?view=compact")

    assert response.status_code == 302
    assert response.location == "/login?next=/?view%3Dcompact"
    login_page = signed_in.get(response.location)
    assert EXPIRED in login_page.text
    with signed_in.session_transaction() as session:
        assert "access_token" not in session
    again = sign_in(signed_in, fake_api, next_path="/?view=compact")
    assert again.location == "/?view=compact"


def test_a_revoked_session_on_a_form_post_also_asks_to_sign_in(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.access.clear()  # token_invalid
    fake_api.revoke_refresh_tokens()
    token = csrf_token(signed_in, "/account/password")
    data = {"current_password": "x", "new_password": "y", "csrf_token": token}

    response = signed_in.post("/account/password", data=data)

    assert response.location == "/login?next=/account/password"


def test_pages_need_a_session(client: FlaskClient) -> None:
    assert client.get("/account/password").location == "/login?next=/account/password"
