"""Every case of the Auth section of api-contract.md, over HTTP, with real adapters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from entrypoints.container import Container
from tests.api.conftest import PASSWORD, Account
from tests.fakes import FakeClock

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = dict(response.json())
    assert body["code"] == code and body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body


def test_register_returns_the_user_without_secrets(client: TestClient) -> None:
    response = client.post(
        "/auth/register", json={"email": "Ada@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.json()
    assert body.keys() == {"id", "email", "role", "created_at"}
    assert (body["email"], body["role"]) == ("ada@example.com", "user")


def test_register_twice_is_email_taken(client: TestClient, ada: Account) -> None:
    response = client.post(
        "/auth/register", json={"email": "ADA@example.com", "password": PASSWORD}
    )
    assert_problem(response, 409, "email_taken")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "x@example.com", "password": "short"}, "validation_error"),
        ({"email": "x@example.com", "password": "password1234"}, "weak_password"),
        ({"email": "x@example.com", "password": "p" * 1025}, "validation_error"),
        ({"email": "x@example.com", "password": "p" * 5000}, "validation_error"),
        ({"email": "not-an-email", "password": PASSWORD}, "validation_error"),
        ({"email": "Ada@Example", "password": PASSWORD}, "validation_error"),
        ({"email": "x@example.com", "password": PASSWORD, "role": "admin"}, "validation_error"),
        ({"email": "x@example.com"}, "validation_error"),
        ({"email": 5, "password": PASSWORD}, "validation_error"),
        ([], "validation_error"),
    ],
)
def test_bad_registrations_get_422_and_store_nothing(
    client: TestClient, container: Container, ada: Account, body: Any, code: str
) -> None:
    before = stored_users(client, container)
    assert_problem(client.post("/auth/register", json=body), 422, code)
    assert stored_users(client, container) == before == [("ada@example.com",)]


def stored_users(client: TestClient, container: Container) -> list[tuple[Any, ...]]:
    """Every row of the users table, read in the app's own event loop."""
    database = container.database()
    rows = client.portal.call(database.read, "SELECT email FROM users ORDER BY email")  # type: ignore[union-attr]
    return [tuple(row) for row in rows]


def test_a_64_character_password_matters_to_its_last_character(client: TestClient) -> None:
    password = "a" * 63 + "Z"
    Account(client, "long@example.com", password)
    wrong = client.post("/auth/login", json={"email": "long@example.com", "password": "a" * 64})
    assert_problem(wrong, 401, "invalid_credentials")


def test_validation_errors_name_the_field(client: TestClient) -> None:
    body = assert_problem(
        client.post("/auth/register", json={"email": "x@example.com"}), 422, "validation_error"
    )
    assert ["body", "password"] in [error["loc"] for error in body["errors"]]


@pytest.mark.parametrize("settings_overrides", [{"allow_registration": False}])
def test_registration_can_be_disabled(client: TestClient) -> None:
    response = client.post("/auth/register", json={"email": "x@example.com", "password": PASSWORD})
    assert_problem(response, 403, "forbidden")


def test_login_gives_a_token_pair_that_is_not_cached(client: TestClient, ada: Account) -> None:
    response = client.post("/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    assert 14 * 86400 - 5 <= body["refresh_expires_in"] <= 14 * 86400


def test_login_accepts_the_oauth2_password_form(client: TestClient, ada: Account) -> None:
    response = client.post(
        "/auth/login", data={"username": ada.email, "password": PASSWORD, "grant_type": "password"}
    )
    assert response.status_code == 200
    me = client.get(
        "/auth/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
    )
    assert me.json()["email"] == ada.email


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: TestClient, ada: Account
) -> None:
    unknown = client.post("/auth/login", json={"email": "no@example.com", "password": PASSWORD})
    wrong = client.post("/auth/login", json={"email": ada.email, "password": "wrong password"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    volatile = {"x-request-id", "date", "content-length"}
    assert {k: v for k, v in unknown.headers.items() if k not in volatile} == {
        k: v for k, v in wrong.headers.items() if k not in volatile
    }


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"email=a", "text/plain", 415, "unsupported_media_type"),
        (b"{not json", "application/json", 422, "validation_error"),
        (b'{"email": "a@b.co"}', "application/json", 422, "validation_error"),
        (b"password=x", "application/x-www-form-urlencoded", 422, "validation_error"),
    ],
)
def test_malformed_login_bodies_get_4xx(
    client: TestClient, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = client.post("/auth/login", content=content, headers={"content-type": content_type})
    assert_problem(response, status, code)


def test_repeated_failures_lock_the_account_for_a_while(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    for _ in range(5):
        client.post("/auth/login", json={"email": ada.email, "password": "wrong password"})
    locked = client.post(
        "/auth/login",
        json={"email": ada.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert_problem(locked, 429, "rate_limited")
    assert 0 < int(locked.headers["retry-after"]) <= 901
    clock.advance(seconds=901)
    assert (
        client.post("/auth/login", json={"email": ada.email, "password": PASSWORD}).status_code
        == 200
    )


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(client: TestClient) -> None:
    for attempt in range(20):
        client.post(
            "/auth/login",
            json={"email": f"u{attempt}@example.com", "password": "wrong pw"},
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        )
    response = client.post(
        "/auth/login",
        json={"email": "fresh@example.com", "password": "wrong pw"},
        headers={"X-Forwarded-For": "192.0.2.200"},
    )
    assert_problem(response, 429, "rate_limited")


def test_me_returns_the_current_user(client: TestClient, ada: Account) -> None:
    response = client.get("/auth/me", headers=ada.headers)
    assert response.status_code == 200
    assert response.json()["id"] == ada.id


def test_me_without_a_token_asks_for_one(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert_problem(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_access_token_stops_working_after_fifteen_minutes(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    clock.advance(seconds=899)
    assert client.get("/auth/me", headers=ada.headers).status_code == 200
    clock.advance(seconds=2)
    response = client.get("/auth/me", headers=ada.headers)
    assert_problem(response, 401, "token_expired")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
