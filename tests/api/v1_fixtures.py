"""The OpenAI-compatible API under test: the real API process on loopback, the simulator
behind it, and the official `openai` SDK pointed at `<api>/v1`.

Each user talks to /v1 with a personal API key (`agk_...`), created with their session, as a
person does from the API keys page."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from tests.postgres import PgServer
from tests.servers import Server, server_env
from tests.simulator_fixtures import SimulatorHandle

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL, ADMIN_PASSWORD = "root@example.com", "an admin passphrase for tests"
KEY_NAME = "my notebook"
PER_MINUTE = 6  # low, so that a 429 is reachable; each test signs up its own user


@dataclass
class V1Platform:
    api: Server
    simulator: SimulatorHandle
    http: httpx.Client
    numbers: Iterator[int] = field(default_factory=itertools.count)

    @property
    def base_url(self) -> str:
        return f"{self.api.url}/v1"

    def login(self, email: str, password: str = PASSWORD) -> str:
        answer = self.http.post(
            f"{self.api.url}/auth/login", json={"email": email, "password": password}
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def new_user(self) -> tuple[str, str]:
        """A fresh user (their own rate limits and budget): a personal API key and its id."""
        email = f"user{next(self.numbers)}@example.com"
        body = {"email": email, "password": PASSWORD}
        registered = self.http.post(f"{self.api.url}/auth/register", json=body)
        assert registered.status_code == 201, registered.text
        session = {"Authorization": f"Bearer {self.login(email)}"}
        created = self.http.post(
            f"{self.api.url}/api-keys", json={"name": KEY_NAME}, headers=session
        )
        assert created.status_code == 201, created.text
        key = str(created.json()["key"])
        assert key.startswith("agk_")
        return key, str(registered.json()["id"])

    def client(self, api_key: str) -> OpenAI:
        return OpenAI(base_url=self.base_url, api_key=api_key, max_retries=0, timeout=20)

    def history(self, token: str) -> list[dict[str, object]]:
        answer = self.http.get(
            f"{self.api.url}/generations", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["data"])


def start_platform(root: Path, simulator: SimulatorHandle, **engine: str) -> Iterator[V1Platform]:
    env = server_env(
        OPENROUTER_BASE_URL=simulator.base_url,
        OPENROUTER_API_KEY=simulator.api_key,
        ALLUCANGET_ADMIN_EMAIL=ADMIN_EMAIL,
        ALLUCANGET_ADMIN_PASSWORD=ADMIN_PASSWORD,
        ALLUCANGET_GENERATIONS_PER_MINUTE=str(PER_MINUTE),
        **engine,
    )
    api = Server("api", root / "data", env).start()
    try:
        with httpx.Client(timeout=20) as http:
            yield V1Platform(api, simulator, http)
    finally:
        api.stop()


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def platform(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    simulator_session: SimulatorHandle,
) -> Iterator[V1Platform]:
    """`allucanget api` on each engine: the DuckDB file, or ALLUCANGET_DATABASE_URL."""
    root = tmp_path_factory.mktemp("v1")
    if request.param == "duckdb":
        yield from start_platform(root, simulator_session)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database()
    try:
        yield from start_platform(root, simulator_session, ALLUCANGET_DATABASE_URL=server.url(name))
    finally:
        server.drop_database(name)
