"""The FastAPI app with real adapters on a temporary data directory, driven in-process, on
each engine: the DuckDB file, and PostgreSQL (a fresh database of the session's cluster)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.settings import Settings, load_settings
from tests.fakes import FakeClock

Row = tuple[Any, ...]
SECRET = "api-test-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"
CHEAP_HASHING = {"argon2_memory_kib": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}


def stored_rows(tmp_path: Path, engine_settings: dict[str, Any], sql: str) -> list[Row]:
    """Read a stopped API's database: the DuckDB file in tmp_path, or its PostgreSQL one."""
    if "database_url" in engine_settings:
        with psycopg.connect(engine_settings["database_url"]) as connection:
            return connection.execute(sql.encode()).fetchall()
    with duckdb.connect(str(tmp_path / "allucanget.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path, "secret_key": SECRET, **CHEAP_HASHING}
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture(params=["duckdb", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine_settings(engine: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The settings that select the engine: none for DuckDB (the file in tmp_path), a fresh
    database's URL for PostgreSQL."""
    if engine == "postgresql":
        return {"database_url": request.getfixturevalue("pg_url")}
    return {}


@pytest.fixture
def container(
    tmp_path: Path,
    clock: FakeClock,
    settings_overrides: dict[str, Any],
    engine_settings: dict[str, Any],
) -> Container:
    overrides = {**engine_settings, **settings_overrides}
    container = Container(settings=make_settings(tmp_path, **overrides))
    container.clock.override(providers.Object(clock))
    return container


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    app = create_app(container.settings(), container)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


class Account:
    """A registered, signed-in user for tests."""

    def __init__(self, client: TestClient, email: str, password: str = PASSWORD) -> None:
        self.client, self.email, self.password = client, email, password
        response = client.post("/auth/register", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        self.id = response.json()["id"]
        self.tokens = self.login()

    def login(self) -> dict[str, Any]:
        response = self.client.post(
            "/auth/login", json={"email": self.email, "password": self.password}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}


@pytest.fixture
def ada(client: TestClient) -> Account:
    return Account(client, "ada@example.com")
