"""OpenRouter unreachable at start: the API starts, says degraded, and sign-in still works."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import Account, make_settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nothing listens


def test_an_unreachable_openrouter_degrades_readiness_but_not_sign_in(tmp_path: Path) -> None:
    upstream = f"http://127.0.0.1:{closed_port()}/api/v1"
    settings = make_settings(
        tmp_path, openrouter_api_key="sk-or-v1-unreachable", openrouter_base_url=upstream
    )
    container = Container(settings=settings)
    with TestClient(create_app(settings, container), raise_server_exceptions=False) as client:
        ready = client.get("/readyz").json()
        assert ready == {
            "status": "degraded",
            "database": "ok",
            "engine": "duckdb",
            "openrouter": "unreachable",
        }
        ada = Account(client, "ada@example.com")
        assert client.get("/auth/me", headers=ada.headers).status_code == 200
        answer = client.post(
            "/generate/text", headers=ada.headers, json={"prompt": "hi", "model": "openai/gpt-4o"}
        )
        assert answer.status_code == 502
        assert answer.json()["code"] == "upstream_unavailable"
