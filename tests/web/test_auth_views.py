"""Register, sign in, sign out and change password through the API stand-in."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import PASSWORD, FakeApi, csrf_token, problem, sign_in

NEW = "a brand new passphrase"


def post_form(client: FlaskClient, path: str, **data: str) -> TestResponse:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def register(client: FlaskClient, email: str, password: str, confirm: str = "") -> TestResponse:
    return post_form(
        client, "/register", email=email, password=password, confirm=confirm or password
    )


def test_sign_in_shows_the_dashboard_with_email_and_role(
    client: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("root@example.com", role="admin")

    response = sign_in(client, fake_api, email="root@example.com")
    page = client.get("/").text

    assert response.location == "/"
    assert 'data-testid="user-email">root@example.com<' in page
    assert 'data-testid="user-role">admin<' in page
    assert ">Sign out</button>" in page


def test_sign_in_forwards_the_browser_address(client: FlaskClient, fake_api: FakeApi) -> None:
    sign_in(client, fake_api)

    assert fake_api.forwarded_for == ["127.0.0.1"]


def test_sign_in_is_one_api_call_the_answer_names_the_user(
    client: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("ada@example.com")

    response = sign_in(client, fake_api)

    assert response.location == "/"
    assert fake_api.calls == ["POST /auth/login"]  # no GET /auth/me straight after
    assert 'data-testid="user-email">ada@example.com<' in client.get("/").text


def test_sign_in_asks_who_the_user_is_when_the_answer_does_not_say(
    client: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.login_names_user = False  # an API from before sign-in named the user

    response = sign_in(client, fake_api)

    assert response.location == "/"
    assert fake_api.calls == ["POST /auth/login", "GET /auth/me"]
    assert 'data-testid="user-email">ada@example.com<' in client.get("/").text


def test_wrong_password_is_shown_on_the_form(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")

    response = post_form(client, "/login", email="ada@example.com", password="nope-nope")

    assert response.status_code == 401
    assert "Incorrect email or password." in response.text
    assert 'value="ada@example.com"' in response.text


def test_throttled_sign_in_says_how_many_minutes(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.forced["/auth/login"] = problem(429, "rate_limited", retry_after=601)

    response = post_form(client, "/login", email="ada@example.com", password=PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts, try again in 11 minutes." in response.text


def test_empty_fields_get_their_own_messages(client: FlaskClient, fake_api: FakeApi) -> None:
    response = post_form(client, "/login", email="not-an-email", password="")

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert "Enter your password." in response.text
    assert 'aria-describedby="password-error"' in response.text
    assert fake_api.calls == []


def test_register_signs_the_new_user_in(client: FlaskClient, fake_api: FakeApi) -> None:
    response = register(client, "new@example.com", PASSWORD)

    assert response.location == "/"
    page = client.get("/").text
    assert "Welcome to allucanget! Your account is ready." in page
    assert 'data-testid="user-email">new@example.com<' in page
    assert fake_api.forwarded_for == ["127.0.0.1", "127.0.0.1"]  # register, then sign in


def test_register_with_a_taken_email_says_so(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")

    response = register(client, "ada@example.com", PASSWORD)

    assert response.status_code == 409
    assert "An account with this email address already exists." in response.text


def test_weak_password_shows_the_api_detail(client: FlaskClient, fake_api: FakeApi) -> None:
    response = register(client, "new@example.com", "password1234")

    assert response.status_code == 422
    assert 'id="password-error">This password is too common.<' in response.text


def test_mismatched_confirmation_never_reaches_the_api(
    client: FlaskClient, fake_api: FakeApi
) -> None:
    response = register(client, "new@example.com", PASSWORD, confirm="something else")

    assert "The passwords do not match." in response.text
    assert fake_api.calls == []


def test_closed_registration_is_explained(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.forced["/auth/register"] = problem(403, "forbidden")

    response = register(client, "new@example.com", PASSWORD)

    assert response.status_code == 403
    assert "Registration is disabled on this server." in response.text


def test_api_validation_errors_land_on_their_fields(client: FlaskClient, fake_api: FakeApi) -> None:
    errors = [{"loc": ["body", "email"], "msg": "value is not a valid email address"}]
    fake_api.forced["/auth/register"] = problem(422, "validation_error", errors=errors)

    response = register(client, "odd@example.com", PASSWORD)

    assert 'id="email-error">value is not a valid email address<' in response.text


def test_sign_out_revokes_the_family_and_clears_the_session(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = post_form(signed_in, "/logout")

    assert response.location == "/login"
    assert "You have been signed out." in signed_in.get("/login").text
    assert fake_api.refresh == {}
    assert signed_in.get("/").location == "/login?next=/"


def test_change_password(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    response = post_form(
        signed_in, "/account/password", current_password=PASSWORD, new_password=NEW
    )

    assert response.location == "/"
    assert "Your password has been changed." in signed_in.get("/").text
    assert fake_api.users["ada@example.com"]["password"] == NEW
    assert fake_api.forwarded_for[-1] == "127.0.0.1"  # a throttled check (security.md #7)


def test_change_password_with_a_wrong_current_password(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = post_form(
        signed_in, "/account/password", current_password="wrong one", new_password=NEW
    )

    assert response.status_code == 401
    assert 'id="current_password-error">Your current password is incorrect.<' in response.text
    assert signed_in.get("/").status_code == 200  # still signed in


def test_change_password_to_a_weak_one(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    response = post_form(
        signed_in, "/account/password", current_password=PASSWORD, new_password="12345678"
    )

    assert 'id="new_password-error">This password is too common.<' in response.text
