"""A 405 lists in `Allow` every method the resource serves, on every route of the app
(`/users/{id}` and `/generations/{id}` answered `Allow: GET` though DELETE exists)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.test_auth_api import assert_problem

METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def served(client: TestClient) -> dict[str, set[str]]:
    """Path template -> the methods OpenAPI documents for it."""
    paths = client.get("/openapi.json").json()["paths"]
    return {path: {method.upper() for method in operations} for path, operations in paths.items()}


def filled(template: str) -> str:
    return re.sub(r"\{(\w+)\}", r"\1", template)


def expected_allow(templates: dict[str, set[str]], path: str) -> set[str]:
    """Every method of every template that matches `path` (computed apart from the app)."""
    methods: set[str] = set()
    for template, served_methods in templates.items():
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path):
            methods |= served_methods
    return methods


def test_a_405_lists_every_method_of_the_resource_on_every_route(client: TestClient) -> None:
    templates = served(client)
    checked = 0
    for template in templates:
        path = filled(template)
        allow = expected_allow(templates, path)
        for method in sorted(set(METHODS) - allow):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            if method == "HEAD":  # a HEAD answer has no body
                pass
            elif path.startswith("/v1/"):  # the OpenAI-compatible API: OpenAI's error shape
                assert response.json()["error"]["code"] == "method_not_allowed"
            else:
                assert_problem(response, 405, "method_not_allowed")
            listed = {m.strip() for m in response.headers["allow"].split(",")}
            assert listed == allow, (method, path)
            checked += 1
    assert checked > 50


def test_users_and_generations_by_id_name_delete_too(client: TestClient) -> None:
    assert client.patch("/users/someone").headers["allow"] == "DELETE, GET"
    assert client.post("/generations/something").headers["allow"] == "DELETE, GET"
    assert client.get("/users/someone/role").headers["allow"] == "PUT"
