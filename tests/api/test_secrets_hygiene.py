"""security.md #16, #31, #34: no password, token or key in any log line or response body."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from entrypoints.logs import JsonFormatter
from tests.api.conftest import Account
from tests.api.generation_fixtures import (
    TEXT_MODEL,
    api,  # noqa: F401 (fixture)
)
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401

PASSWORD = "a very secret passphrase 42"


def test_a_session_of_everything_leaks_no_secret(
    api: TestClient, simulator: SimulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    bodies: list[str] = []
    with caplog.at_level(logging.DEBUG):
        user = Account(api, "leak@example.com", PASSWORD)
        secrets_seen = [
            PASSWORD,
            user.tokens["access_token"],
            user.tokens["refresh_token"],
            simulator.api_key,
        ]
        for fault in ["", "[[sim:fault=401]]", "[[sim:fault=402]]", "[[sim:fault=html_502]]"]:
            answer = api.post(
                "/generate/text",
                headers=user.headers,
                json={"prompt": f"{fault} hi", "model": TEXT_MODEL},
            )
            bodies.append(answer.text)
        bodies.append(
            api.post("/auth/login", json={"email": user.email, "password": "x" + PASSWORD}).text
        )
        bodies.append(api.get("/auth/me", headers={"Authorization": "Bearer " + PASSWORD}).text)
        bodies.append(
            api.post("/auth/refresh", json={"refresh_token": user.tokens["access_token"]}).text
        )
        change = {"current_password": PASSWORD, "new_password": "password1234"}
        bodies.append(api.put("/auth/password", headers=user.headers, json=change).text)
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert len(caplog.records) > 5 and len(bodies) == 8
    for secret in secrets_seen:
        assert secret not in logged, "a secret reached the logs"
        for body in bodies:
            assert secret not in body, "a secret reached a response body"
    assert "Traceback" not in "".join(bodies)
