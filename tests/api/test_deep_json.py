"""A JSON body nested 10,000 levels deep is a 422 problem on every route that takes JSON
(json.loads raised RecursionError on /auth/login: a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import admin, api  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

DEPTH = 10_000
DEEP_BODIES = {
    "array": b"[" * DEPTH + b"]" * DEPTH,
    "object": b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
}


def json_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path with its parameters filled) of every operation that accepts JSON."""
    schema: dict[str, Any] = client.app.openapi()  # type: ignore[attr-defined]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method.upper(), path.replace("{", "").replace("}", "")))
    return found


def test_every_json_route_is_found(api: TestClient) -> None:
    routes = json_routes(api)
    assert ("POST", "/auth/login") in routes and ("PUT", "/users/user_id/role") in routes
    assert len(routes) >= 10


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
def test_a_deeply_nested_body_is_a_422_on_every_json_route(
    api: TestClient, admin: Account, shape: str
) -> None:
    headers = {**admin.headers, "content-type": "application/json"}
    for method, path in json_routes(api):
        response = api.request(method, path, content=DEEP_BODIES[shape], headers=headers)
        if path.startswith("/v1/"):  # the OpenAI-compatible API: OpenAI's 400 and error shape
            assert response.status_code == 400, (method, path)
            assert response.json()["error"]["type"] == "invalid_request_error", (method, path)
            continue
        body = assert_problem(response, 422, "validation_error")
        assert body["status"] == 422, (method, path)
    assert api.get("/auth/me", headers=admin.headers).status_code == 200  # still serving


def test_a_deep_login_body_changes_nothing_and_is_not_a_server_error(api: TestClient) -> None:
    for body in DEEP_BODIES.values():
        response = api.post(
            "/auth/login", content=body, headers={"content-type": "application/json"}
        )
        body_out = assert_problem(response, 422, "validation_error")
        assert body_out["errors"][0]["loc"] == ["body"]
    account = Account(api, "after@example.com")  # sign-in works as before
    assert account.tokens["access_token"]
