"""Refresh rotation, sign-out and password change over HTTP, with real adapters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, Account
from tests.api.test_auth_api import assert_problem
from tests.fakes import FakeClock


def refresh(client: TestClient, token: str):  # type: ignore[no-untyped-def]
    return client.post("/auth/refresh", json={"refresh_token": token})


def test_refresh_rotates_and_the_new_access_token_works(client: TestClient, ada: Account) -> None:
    response = refresh(client, ada.tokens["refresh_token"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    pair = response.json()
    assert pair["refresh_token"] != ada.tokens["refresh_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200


def test_a_retry_within_grace_gets_the_same_successor(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    first = refresh(client, ada.tokens["refresh_token"]).json()
    clock.advance(seconds=9)
    second = refresh(client, ada.tokens["refresh_token"]).json()
    assert second["refresh_token"] == first["refresh_token"]


def test_reuse_after_grace_revokes_the_family(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    successor = refresh(client, ada.tokens["refresh_token"]).json()
    clock.advance(seconds=11)
    assert_problem(refresh(client, ada.tokens["refresh_token"]), 401, "token_reused")
    assert_problem(refresh(client, successor["refresh_token"]), 401, "token_revoked")


def test_the_family_ends_at_its_absolute_lifetime(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    token = ada.tokens["refresh_token"]
    for _ in range(3):
        clock.advance(days=4)
        token = refresh(client, token).json()["refresh_token"]
    clock.advance(days=2, seconds=1)
    assert_problem(refresh(client, token), 401, "token_expired")


def test_an_access_token_is_refused_by_refresh(client: TestClient, ada: Account) -> None:
    assert_problem(refresh(client, ada.tokens["access_token"]), 401, "token_invalid")


def test_garbage_refresh_tokens_are_refused(client: TestClient) -> None:
    for garbage in ["x", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"]:
        assert_problem(refresh(client, garbage), 401, "token_invalid")
    assert_problem(
        client.post("/auth/refresh", json={"refresh_token": ""}), 422, "validation_error"
    )


def test_logout_ends_the_session_and_can_be_repeated(client: TestClient, ada: Account) -> None:
    token = ada.tokens["refresh_token"]
    assert client.post("/auth/logout", json={"refresh_token": token}).status_code == 204
    assert client.post("/auth/logout", json={"refresh_token": token}).status_code == 204
    assert_problem(refresh(client, token), 401, "token_revoked")


def test_logout_ends_only_its_own_session(client: TestClient, ada: Account) -> None:
    other = ada.login()
    client.post("/auth/logout", json={"refresh_token": ada.tokens["refresh_token"]})
    assert refresh(client, other["refresh_token"]).status_code == 200


def test_password_change_keeps_this_session_and_ends_the_others(
    client: TestClient, ada: Account
) -> None:
    other = ada.login()
    response = client.put(
        "/auth/password",
        headers=ada.headers,
        json={"current_password": PASSWORD, "new_password": "a new passphrase!"},
    )
    assert response.status_code == 204
    assert refresh(client, ada.tokens["refresh_token"]).status_code == 200
    assert_problem(refresh(client, other["refresh_token"]), 401, "token_revoked")
    old = client.post("/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert_problem(old, 401, "invalid_credentials")
    new = client.post("/auth/login", json={"email": ada.email, "password": "a new passphrase!"})
    assert new.status_code == 200


def test_password_change_needs_the_current_password_and_a_good_new_one(
    client: TestClient, ada: Account
) -> None:
    wrong = client.put(
        "/auth/password",
        headers=ada.headers,
        json={"current_password": "not it at all", "new_password": "a new passphrase"},
    )
    assert_problem(wrong, 401, "invalid_credentials")
    weak = client.put(
        "/auth/password",
        headers=ada.headers,
        json={"current_password": PASSWORD, "new_password": "password1234"},
    )
    assert_problem(weak, 422, "weak_password")
    anonymous = client.put(
        "/auth/password", json={"current_password": PASSWORD, "new_password": "a new passphrase"}
    )
    assert_problem(anonymous, 401, "not_authenticated")
    assert ada.login()["access_token"]
