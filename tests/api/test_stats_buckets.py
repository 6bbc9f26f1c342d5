"""The refresh-token buckets of GET /admin/stats add up to every row of refresh_tokens; a
token retired by rotation counts as revoked (it was in no bucket at all)."""

from __future__ import annotations

from typing import Any

import jwt
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import admin, api  # noqa: F401 (fixtures)
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401


def buckets(api: TestClient, admin: Account) -> dict[str, int]:
    response = api.get("/admin/stats", headers=admin.headers)
    assert response.status_code == 200, response.text
    return dict(response.json()["refresh_tokens"])


def rows(api: TestClient, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    database = api.app.state.container.database()  # type: ignore[attr-defined]
    found: list[tuple[Any, ...]] = api.portal.call(database.read, sql, params)  # type: ignore[union-attr]
    return found


def jti(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["jti"])


def test_a_rotated_token_is_counted_as_revoked_and_the_buckets_add_up(
    api: TestClient, admin: Account
) -> None:
    ada = Account(api, "ada@example.com")
    before = buckets(api, admin)
    assert sum(before.values()) == rows(api, "SELECT count(*) FROM refresh_tokens")[0][0]
    old = ada.tokens["refresh_token"]
    response = api.post("/auth/refresh", json={"refresh_token": old})
    assert response.status_code == 200, response.text

    after = buckets(api, admin)
    assert sum(after.values()) == rows(api, "SELECT count(*) FROM refresh_tokens")[0][0]
    assert after["active"] == before["active"]  # the successor replaces the old one
    assert after["revoked"] == before["revoked"] + 1
    assert after["expired"] == before["expired"] == 0
    [(replaced_by, revoked_at)] = rows(
        api, "SELECT replaced_by, revoked_at FROM refresh_tokens WHERE jti = ?", [jti(old)]
    )
    assert replaced_by == jti(response.json()["refresh_token"]) and revoked_at is None


def test_the_buckets_add_up_after_rotation_logout_and_reuse(
    api: TestClient, admin: Account
) -> None:
    ada, bob = Account(api, "ada@example.com"), Account(api, "bob@example.com")
    first = ada.tokens["refresh_token"]
    second = api.post("/auth/refresh", json={"refresh_token": first}).json()["refresh_token"]
    api.post("/auth/refresh", json={"refresh_token": second})
    api.post("/auth/logout", json={"refresh_token": bob.tokens["refresh_token"]})
    stats = buckets(api, admin)
    total = rows(api, "SELECT count(*) FROM refresh_tokens")[0][0]
    assert sum(stats.values()) == total
    # ada: 3 rows, 2 rotated; bob: 1 logged out; admin: 1 live
    assert stats == {"active": 2, "revoked": 3, "expired": 0}
