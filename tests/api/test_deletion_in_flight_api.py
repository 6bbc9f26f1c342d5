"""Over HTTP: an admin deletes a user whose image generation is still in flight; the
generation then answers 401 (the account is gone) and leaves no row and no file."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import Account
from tests.api.test_auth_api import assert_problem
from tests.integration.test_deletion_in_flight import HeldAIGateway

ADMIN = {"email": "root@example.com", "password": "an admin passphrase for tests"}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"admin_email": ADMIN["email"], "admin_password": ADMIN["password"]}


@pytest.fixture
def held(container: Container) -> Iterator[tuple[TestClient, HeldAIGateway]]:
    gateway = HeldAIGateway()
    container.gateway.override(providers.Object(gateway))
    app = create_app(container.settings(), container)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, gateway


def test_a_generation_in_flight_when_its_user_is_deleted_keeps_nothing(
    held: tuple[TestClient, HeldAIGateway],
) -> None:
    client, gateway = held
    portal = client.portal
    assert portal is not None
    admin = {
        "Authorization": f"Bearer {client.post('/auth/login', json=ADMIN).json()['access_token']}"
    }
    victim = Account(client, "victim@example.com")
    answers: list[httpx.Response] = []
    body = {"model": "google/gemini-2.5-flash-image", "prompt": "a fox"}
    request = threading.Thread(
        target=lambda: answers.append(
            client.post("/generate/image", json=body, headers=victim.headers)
        )
    )
    request.start()
    portal.call(
        asyncio.wait_for, gateway.entered.wait(), 60
    )  # the image is being made (bounded: no hang)
    assert client.delete(f"/users/{victim.id}", headers=admin).status_code == 204
    portal.call(gateway.release.set)
    request.join(60)
    assert_problem(answers[0], 401, "token_invalid")
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    database = container.database()
    for sql in ("SELECT count(*) FROM generations", "SELECT count(*) FROM media"):
        assert portal.call(database.read, sql) == [(0,)], sql
    media_dir = container.settings().media_dir
    assert [p for p in media_dir.rglob("*") if p.is_file()] == []
    assert "allucanget_generations{" not in client.get("/metrics").text
