"""The API wired to the OpenRouter simulator on loopback (fast retries for the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from adapters.openrouter.gateway import OpenRouterGateway
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import Account, make_settings
from tests.simulator_fixtures import SimulatorHandle

TEXT_MODEL, IMAGE_MODEL = "openai/gpt-4o", "google/gemini-2.5-flash-image"
ADMIN_EMAIL, ADMIN_PASSWORD = "root@example.com", "an admin passphrase for tests"


def wired_container(
    tmp_path: Path, simulator: SimulatorHandle, key: str | None = None, **extra: Any
) -> Container:
    settings = make_settings(
        tmp_path,
        openrouter_base_url=simulator.base_url,
        openrouter_api_key=simulator.api_key if key is None else key,
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
        **extra,
    )
    container = Container(settings=settings)
    container.openrouter.override(
        providers.Singleton(
            OpenRouterGateway,
            client=container.http,
            base_url=simulator.base_url,
            api_key=settings.openrouter_api_key.get_secret_value(),
            retry_base_s=0.01,
            retry_max_wait_s=0.2,
            stream_idle_timeout_s=3,
        )
    )
    return container


@pytest.fixture
def api(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> Iterator[TestClient]:
    container = wired_container(tmp_path, simulator, **engine_settings)
    with TestClient(
        create_app(container.settings(), container), raise_server_exceptions=False
    ) as c:
        yield c


@pytest.fixture
def ada(api: TestClient) -> Account:
    return Account(api, "ada@example.com")


@pytest.fixture
def bob(api: TestClient) -> Account:
    return Account(api, "bob@example.com")


@pytest.fixture
def admin(api: TestClient) -> Account:
    account = Account.__new__(Account)
    account.client, account.email, account.password = api, ADMIN_EMAIL, ADMIN_PASSWORD
    account.tokens = account.login()
    account.id = api.get("/auth/me", headers=account.headers).json()["id"]
    return account
