"""The API's own promises: OpenAPI tells the truth, errors are problems, headers are set."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.test_auth_api import assert_problem


def test_every_route_documents_its_errors_as_problem_documents(client: TestClient) -> None:
    schema: dict[str, Any] = client.get("/openapi.json").json()
    assert "ProblemOut" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        if path in {"/healthz", "/readyz", "/metrics"}:
            continue
        for method, operation in operations.items():
            documented = operation["responses"]
            if path.startswith("/v1/"):  # the OpenAI-compatible API speaks OpenAI's errors
                assert_openai_errors(documented, f"{method} {path}")
                continue
            assert "422" in documented, f"{method} {path}"
            for status, response in documented.items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (method, path)


def assert_openai_errors(documented: dict[str, Any], where: str) -> None:
    assert {"400", "401", "429"} <= set(documented), where
    for status, response in documented.items():
        if status.startswith(("4", "5")):
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/OpenAIErrorOut"}, where


def test_the_login_route_documents_both_body_types(client: TestClient) -> None:
    login = client.get("/openapi.json").json()["paths"]["/auth/login"]["post"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(
        login["requestBody"]["content"]
    )


def test_every_response_carries_security_headers_and_a_request_id(client: TestClient) -> None:
    for response in [client.get("/healthz"), client.get("/nope"), client.post("/auth/login")]:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert len(response.headers["x-request-id"]) >= 8
        assert "server" not in response.headers


def test_unknown_routes_and_methods_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/no/such/route"), 404, "not_found")
    assert_problem(client.delete("/auth/me"), 405, "method_not_allowed")


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post(
        "/auth/register",
        content=b"x" * (1024 * 1024 + 1),
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


def test_a_chunked_oversized_body_is_refused_too(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 65536

    response = client.post(
        "/auth/register", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413, "payload_too_large")


def test_an_unexpected_error_is_a_500_problem_without_internals(container: Container) -> None:
    app = create_app(container.settings(), container)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd SELECT * FROM users")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "trace-me-123"})
    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "trace-me-123"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_readiness_reports_the_database_and_the_upstream(client: TestClient, engine: str) -> None:
    body = client.get("/readyz").json()
    assert body == {
        "status": "degraded",
        "database": "ok",
        "engine": engine,
        "openrouter": "not_configured",
    }
