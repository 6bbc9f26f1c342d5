"""security.md #40: every form, logout included, needs the CSRF token; it rotates at login."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, FakeApi, csrf_token, sign_in


@pytest.mark.parametrize("path", ["/login", "/register", "/logout", "/account/password"])
@pytest.mark.parametrize("token", [None, "forged"])
def test_posts_without_a_valid_token_are_refused(
    signed_in: FlaskClient, fake_api: FakeApi, path: str, token: str | None
) -> None:
    data = {
        "email": "ada@example.com",
        "password": PASSWORD,
        "current_password": PASSWORD,
        "new_password": "a brand new passphrase",
    }
    if token is not None:
        data["csrf_token"] = token
    calls_before = list(fake_api.calls)

    response = signed_in.post(path, data=data)

    assert response.status_code == 400
    assert "Your form expired, please try again." in response.text
    assert "Traceback" not in response.text
    assert fake_api.calls == calls_before  # nothing reached the API


def test_logout_is_post_only(signed_in: FlaskClient) -> None:
    response = signed_in.get("/logout")

    assert response.status_code == 405
    assert signed_in.get("/").status_code == 200  # still signed in


def test_the_csrf_token_rotates_at_login(client: FlaskClient, fake_api: FakeApi) -> None:
    csrf_token(client, "/login")
    with client.session_transaction() as before:
        old = before["csrf_token"]

    sign_in(client, fake_api)
    csrf_token(client, "/account/password")

    with client.session_transaction() as after:
        assert after["csrf_token"] != old
