"""Date-time query parameters take RFC 3339 text with a timezone and nothing else: numbers
(read as Unix timestamps), dates, naive times (a 500 next to an aware one) and times out of
range are each a 422 problem naming the parameter."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import admin, api  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

BAD = [
    "0.5",
    "0",
    "1700000000",
    "1e20",
    "-1",
    "2026-01-01",
    "2026-01-01T00:00:00",
    "2026-01-01T00:00",
    "2026-01-01 00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T25:00:00Z",
    "2026-01-01T00:00:00+25:00",
    "2026-01-01T00:00:00+0100",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "1969-12-31T23:59:59Z",
    "now",
    "",
    "2026-W01",
    "2026-01-01T00:00:00.1234567Z",
    "\uff12\uff10\uff12\uff16-01-01T00:00:00Z",
]
GOOD = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5+02:00", "2026-01-01t00:00:00z"]


def date_time_params(client: TestClient) -> list[tuple[str, str]]:
    """(path, parameter) of every query parameter documented as a date-time."""
    schema: dict[str, Any] = client.get("/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                options = param["schema"].get("anyOf", [param["schema"]])
                if param["in"] == "query" and any(o.get("format") == "date-time" for o in options):
                    found.append((path, param["name"]))
    return found


def test_the_date_time_parameters_are_found(api: TestClient) -> None:
    assert set(date_time_params(api)) >= {("/admin/stats", "since"), ("/admin/stats", "until")}


@pytest.mark.parametrize("value", BAD)
def test_anything_but_an_iso_date_time_with_a_zone_is_a_422(
    api: TestClient, admin: Account, value: str
) -> None:
    for path, name in date_time_params(api):
        response = api.get(path, params={name: value}, headers=admin.headers)
        body = assert_problem(response, 422, "validation_error")
        assert any(error["loc"] == ["query", name] for error in body["errors"]), body
        message = " ".join(error["msg"] for error in body["errors"])
        assert "date" in message, body


def test_a_naive_time_next_to_an_aware_one_is_a_422_not_a_500(
    api: TestClient, admin: Account
) -> None:
    params = {"since": "2026-01-01T00:00:00", "until": "2026-01-20T00:00:00Z"}
    assert_problem(
        api.get("/admin/stats", params=params, headers=admin.headers), 422, "validation_error"
    )


@pytest.mark.parametrize("value", GOOD)
def test_iso_date_times_with_a_zone_are_accepted(
    api: TestClient, admin: Account, value: str
) -> None:
    response = api.get("/admin/stats", params={"until": value}, headers=admin.headers)
    assert response.status_code == 200, response.text
