"""ALLUCANGET_UPSTREAM_DEADLINE_S reaches the gateway: a trickled answer is a 504."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import Account, make_settings
from tests.api.generation_fixtures import TEXT_MODEL
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401


def test_an_answer_trickled_past_the_configured_deadline_is_upstream_timeout(
    tmp_path: Path, simulator: SimulatorHandle
) -> None:
    settings = make_settings(
        tmp_path,
        openrouter_base_url=simulator.base_url,
        openrouter_api_key=simulator.api_key,
        upstream_deadline_s=1.5,
    )
    container = Container(settings=settings)  # the real wiring: read timeout 120 s
    with TestClient(create_app(settings, container), raise_server_exceptions=False) as api:
        ada = Account(api, "ada@example.com")
        body = {"prompt": "Hi [[sim:fault=trickle:50]]", "model": TEXT_MODEL}
        response = api.post("/generate/text", json=body, headers=ada.headers)
    assert_problem(response, 504, "upstream_timeout")
    assert "within 1.5 s" in response.json()["detail"]
