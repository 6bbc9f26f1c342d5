"""Admin routes over HTTP: the gate on every route, roles, deletion, stats and the audit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import IMAGE_MODEL, TEXT_MODEL, ada, admin, api, bob  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

ADMIN_ROUTES = [
    ("GET", "/admin/stats"),
    ("GET", "/admin/audit"),
    ("GET", "/users"),
    ("GET", "/users/{id}"),
    ("DELETE", "/users/{id}"),
    ("PUT", "/users/{id}/role"),
    ("PUT", "/users/{id}/budget"),
    ("GET", "/users/{id}/api-keys"),
    ("DELETE", "/users/{id}/api-keys/{key_id}"),
]


def call(api: TestClient, method: str, path: str, who: Account | None, target: str) -> Any:
    headers = who.headers if who else {}
    bodies = {
        "/users/{id}/role": {"role": "admin"},
        "/users/{id}/budget": {"limit": 1, "period": "day"},
    }
    body = bodies.get(path) if method == "PUT" else None
    return api.request(method, path.replace("{id}", target), headers=headers, json=body)


def test_every_admin_route_is_in_the_inventory(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    found = {
        (method.upper(), path.replace("{user_id}", "{id}"))
        for path, ops in paths.items()
        for method in ops
        if path.startswith(("/admin", "/users"))
    }
    assert found == set(ADMIN_ROUTES)


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_refuse_anonymous_and_normal_users(
    api: TestClient, ada: Account, bob: Account, method: str, path: str
) -> None:
    assert_problem(call(api, method, path, None, bob.id), 401, "not_authenticated")
    assert_problem(call(api, method, path, ada, bob.id), 403, "forbidden")
    assert api.get("/auth/me", headers=bob.headers).json()["role"] == "user"


def test_an_admin_lists_and_searches_users(
    api: TestClient, admin: Account, ada: Account, bob: Account
) -> None:
    page = api.get("/users?limit=2", headers=admin.headers).json()
    assert page["total"] == 3 and len(page["data"]) == 2
    found = api.get("/users?q=BOB", headers=admin.headers).json()
    assert [u["email"] for u in found["data"]] == ["bob@example.com"]
    assert api.get("/users?q=%25", headers=admin.headers).json()["total"] == 0
    assert api.get(f"/users/{ada.id}", headers=admin.headers).json()["email"] == ada.email
    assert_problem(api.get("/users/nope", headers=admin.headers), 404, "not_found")


def test_a_promotion_holds_at_once_and_ends_the_old_sessions(
    api: TestClient, admin: Account, ada: Account
) -> None:
    response = api.put(f"/users/{ada.id}/role", json={"role": "admin"}, headers=admin.headers)
    assert response.status_code == 200 and response.json()["role"] == "admin"
    assert api.get("/admin/stats", headers=ada.headers).status_code == 200  # same access token
    refreshed = api.post("/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]})
    assert_problem(refreshed, 401, "token_revoked")
    api.put(f"/users/{ada.id}/role", json={"role": "user"}, headers=admin.headers)
    assert_problem(api.get("/admin/stats", headers=ada.headers), 403, "forbidden")


def test_the_last_admin_can_be_neither_demoted_nor_deleted(api: TestClient, admin: Account) -> None:
    demote = api.put(f"/users/{admin.id}/role", json={"role": "user"}, headers=admin.headers)
    assert_problem(demote, 409, "last_admin")
    assert_problem(api.delete(f"/users/{admin.id}", headers=admin.headers), 409, "last_admin")
    assert api.get("/auth/me", headers=admin.headers).json()["role"] == "admin"


@pytest.mark.parametrize("body", [{"role": "root"}, {"role": "admin", "x": 1}, {}, {"role": None}])
def test_a_bad_role_body_is_422(api: TestClient, admin: Account, ada: Account, body: Any) -> None:
    assert_problem(
        api.put(f"/users/{ada.id}/role", json=body, headers=admin.headers), 422, "validation_error"
    )


def test_deleting_a_user_removes_everything_theirs(
    api: TestClient, admin: Account, ada: Account, bob: Account, tmp_path: Any
) -> None:
    api.post("/generate/text", json={"prompt": "hi", "model": TEXT_MODEL}, headers=ada.headers)
    image = api.post(
        "/generate/image", json={"prompt": "a cat", "model": IMAGE_MODEL}, headers=ada.headers
    ).json()
    api.post("/generate/text", json={"prompt": "mine", "model": TEXT_MODEL}, headers=bob.headers)
    assert api.delete(f"/users/{ada.id}", headers=admin.headers).status_code == 204
    assert_problem(api.get("/auth/me", headers=ada.headers), 401, "token_invalid")
    assert_problem(
        api.post("/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]}),
        401,
        "token_invalid",
    )
    assert_problem(api.get(image["images"][0]["url"], headers=admin.headers), 404, "not_found")
    assert list((tmp_path / "media").rglob("*.png")) == []
    assert api.get("/generations", headers=bob.headers).json()["data"][0]["prompt"] == "mine"
    assert_problem(api.delete(f"/users/{ada.id}", headers=admin.headers), 404, "not_found")
    stats = api.get("/admin/stats", headers=admin.headers).json()
    assert stats["users"] == {"total": 2, "admins": 1}
    assert stats["generations"]["total"] == 1


def test_stats_count_users_tokens_generations_and_cost(
    api: TestClient, admin: Account, ada: Account
) -> None:
    api.post("/generate/text", json={"prompt": "hi", "model": TEXT_MODEL}, headers=ada.headers)
    api.post(
        "/generate/text",
        json={"prompt": "[[sim:fault=403]]", "model": TEXT_MODEL},
        headers=ada.headers,
    )
    api.post("/auth/logout", json={"refresh_token": ada.tokens["refresh_token"]})
    stats = api.get("/admin/stats", headers=admin.headers).json()
    assert stats["generations"] == {"total": 2, "text": 2, "image": 0, "video": 0, "failed": 1}
    assert stats["usage"]["cost"] > 0 and stats["usage"]["prompt_tokens"] > 0
    assert stats["refresh_tokens"] == {"active": 1, "revoked": 1, "expired": 0}
    [day] = stats["per_day"]
    assert (day["generations"], day["failed"]) == (2, 1)
    assert [m["key"] for m in stats["per_model"]] == [TEXT_MODEL]
    assert [u["label"] for u in stats["per_user"]] == [ada.email]
    bad = api.get(
        "/admin/stats?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", headers=admin.headers
    )
    assert_problem(bad, 422, "validation_error")


def test_the_audit_trail_records_admin_actions_and_token_reuse(
    api: TestClient, admin: Account, ada: Account
) -> None:
    first = ada.tokens["refresh_token"]
    api.post("/auth/refresh", json={"refresh_token": first})
    api.put(f"/users/{ada.id}/role", json={"role": "admin"}, headers=admin.headers)
    events = api.get("/admin/audit", headers=admin.headers).json()
    actions = [e["action"] for e in events["data"]]
    assert actions[0] == "authz_change" and "admin_bootstrap" in actions
    assert events["data"][0]["actor_id"] == admin.id and events["data"][0]["target_id"] == ada.id
    assert events["total"] == len(actions)
