"""SQL-looking, oversized and malformed input: answered 4xx or treated as plain data, never 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import admin, api  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

SQLISH = ["' OR 1=1 --", "x'); DROP TABLE users; --", "%", "_", "\\", "\x00", "Robert'); --"]


@pytest.mark.parametrize("text", SQLISH)
def test_sql_looking_text_is_only_data(api: TestClient, admin: Account, text: str) -> None:
    search = api.get("/users", params={"q": text}, headers=admin.headers)
    assert search.status_code == 200, search.text  # "%" and "_" match nothing, not everyone
    assert search.json() == {"data": [], "total": 0}
    login = api.post("/auth/login", json={"email": f"{text}@example.com", "password": text})
    assert_problem(login, 401, "invalid_credentials")
    assert_problem(
        api.get(f"/users/{quote(text, safe='')}", headers=admin.headers), 404, "not_found"
    )
    assert api.get("/users", headers=admin.headers).json()["total"] == 1  # nothing was dropped


def test_a_sql_looking_email_registers_as_a_plain_string(api: TestClient) -> None:
    email = "o'brien+1=1--@example.com"
    user = Account(api, email)
    assert api.get("/auth/me", headers=user.headers).json()["email"] == email


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"\xff\xfe\x00garbage", "application/json", 422),
        (b'{"email": "a@b.co", "password": "' + b"x" * 2_000_000 + b'"}', "application/json", 413),
        (b"[" * 5000 + b"]" * 5000, "application/json", 422),
        (b"<xml/>", "application/xml", 422),
    ],
)
def test_malformed_bodies_are_refused(
    api: TestClient, content: bytes, content_type: str, status: int
) -> None:
    response = api.post("/auth/register", content=content, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_huge_query_string_is_a_4xx(api: TestClient, admin: Account) -> None:
    assert_problem(
        api.get("/users", params={"q": "x" * 5000}, headers=admin.headers), 422, "validation_error"
    )
