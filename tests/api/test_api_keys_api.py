"""API keys over HTTP: create once-shown, list without secrets, revoke with immediate effect,
the limit, the 401s of wrong/revoked/expired keys, revocation by account events, audit."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from domain.api_keys import MAX_LIVE_KEYS
from tests.api.api_key_fixtures import KeyHolder, create_key
from tests.api.conftest import PASSWORD, Account
from tests.api.test_auth_api import assert_problem
from tests.fakes import FakeClock

NEW_PASSWORD = "a brand new passphrase 42"


def test_a_key_is_shown_once_and_listed_without_its_secret(
    client: TestClient, ada: Account
) -> None:
    response = create_key(client, ada, "ci runner", expires_in_days=30)
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    assert set(created) == {"id", "name", "prefix", "key", "created_at", "expires_at"}
    key = created["key"]
    assert key.startswith("agk_") and len(key) >= 4 + 43  # 32 random bytes, URL-safe
    assert key[4:].replace("-", "").replace("_", "").isalnum()
    assert created["prefix"] == key[:12] and created["expires_at"] is not None
    listed = client.get("/api-keys", headers=ada.headers)
    assert listed.status_code == 200
    [row] = listed.json()["data"]
    assert set(row) == {"id", "name", "prefix", "created_at", "expires_at", "last_used_at"}
    assert row["id"] == created["id"] and row["name"] == "ci runner"
    assert key not in listed.text
    never = create_key(client, ada, "forever").json()
    assert never["expires_at"] is None and never["key"] != key


def test_a_key_authenticates_as_its_owner_and_records_its_use(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    holder = KeyHolder(client, ada)
    me = client.get("/auth/me", headers=holder.headers)
    assert me.status_code == 200 and me.json()["id"] == ada.id
    [row] = client.get("/api-keys", headers=ada.headers).json()["data"]
    first_use = row["last_used_at"]
    assert first_use is not None
    clock.advance(seconds=30)
    client.get("/auth/me", headers=holder.headers)  # within the minute: not written again
    assert client.get("/api-keys", headers=ada.headers).json()["data"][0]["last_used_at"] == (
        first_use
    )
    clock.advance(seconds=31)
    client.get("/auth/me", headers=holder.headers)
    assert client.get("/api-keys", headers=ada.headers).json()["data"][0]["last_used_at"] != (
        first_use
    )


def test_wrong_revoked_and_expired_keys_are_401(
    client: TestClient, ada: Account, clock: FakeClock
) -> None:
    holder = KeyHolder(client, ada)
    wrong = {"Authorization": f"Bearer {holder.key[:-2]}xx"}
    assert_problem(client.get("/auth/me", headers=wrong), 401, "token_invalid")
    assert_problem(
        client.get("/auth/me", headers={"Authorization": "Bearer agk_"}), 401, "token_invalid"
    )
    assert client.delete(f"/api-keys/{holder.id}", headers=ada.headers).status_code == 204
    assert_problem(client.get("/auth/me", headers=holder.headers), 401, "token_invalid")
    assert client.get("/api-keys", headers=ada.headers).json()["data"] == []
    assert_problem(client.delete(f"/api-keys/{holder.id}", headers=ada.headers), 404, "not_found")
    short = KeyHolder(client, ada, "short", expires_in_days=1)
    assert client.get("/auth/me", headers=short.headers).status_code == 200
    clock.advance(seconds=int(timedelta(days=1).total_seconds()))
    assert_problem(client.get("/auth/me", headers=short.headers), 401, "token_invalid")
    ada.tokens = ada.login()  # the session's access token expired with the day too
    assert client.get("/api-keys", headers=ada.headers).json()["data"] == []


def test_someone_elses_key_cannot_be_revoked_by_its_id(client: TestClient, ada: Account) -> None:
    bob = Account(client, "bob@example.com")
    holder = KeyHolder(client, ada)
    assert_problem(client.delete(f"/api-keys/{holder.id}", headers=bob.headers), 404, "not_found")
    assert client.get("/auth/me", headers=holder.headers).status_code == 200


def test_at_most_twenty_live_keys(client: TestClient, ada: Account) -> None:
    ids = [KeyHolder(client, ada, f"k{n}").id for n in range(MAX_LIVE_KEYS)]
    assert_problem(create_key(client, ada, "one too many"), 409, "too_many_keys")
    client.delete(f"/api-keys/{ids[0]}", headers=ada.headers)
    assert create_key(client, ada, "room again").status_code == 201


def test_the_request_body_is_checked(client: TestClient, ada: Account) -> None:
    for body in (
        {"name": ""},
        {"name": "x" * 101},
        {"name": "k", "expires_in_days": 0},
        {"name": "k", "expires_in_days": 3651},
        {"name": "k", "extra": 1},
    ):
        answer = client.post("/api-keys", json=body, headers=ada.headers)
        assert_problem(answer, 422, "validation_error")


def test_a_password_change_revokes_every_key(client: TestClient, ada: Account) -> None:
    holder = KeyHolder(client, ada)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.put("/auth/password", json=body, headers=ada.headers).status_code == 204
    assert_problem(client.get("/auth/me", headers=holder.headers), 401, "token_invalid")
    assert client.get("/api-keys", headers=ada.headers).json()["data"] == []
