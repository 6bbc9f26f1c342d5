"""Integration fixtures: a DuckDB file on tmp_path, seed rows, and the real API on loopback."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from adapters.duckdb.database import Database, open_database
from domain.tokens import RefreshToken
from domain.users import Role, User
from tests.servers import Server, server_env

SECRET = "integration-tests-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"
NOW = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def a_user(user_id: str = "u1", email: str = "ada@example.com", role: Role = Role.USER) -> User:
    return User(id=user_id, email=email, role=role, password_hash="fake$0", created_at=NOW)


def a_token(
    jti: str, *, family: str = "f1", user: str = "u1", parent: str | None = None
) -> RefreshToken:
    return RefreshToken(
        jti=jti,
        user_id=user,
        family_id=family,
        parent_jti=parent,
        issued_at=NOW,
        expires_at=NOW + timedelta(days=14),
    )


def jwt_payload(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified: the tests only need `jti` and `fam` to find rows."""
    body = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def query(path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Read a stopped API's database file (read-only, so the WAL is replayed, not rewritten)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "t.duckdb", 4)
    yield db
    db.close()


def api_env(**overrides: str) -> dict[str, str]:
    return server_env(ALLUCANGET_SECRET_KEY=SECRET, **overrides)


class ApiServer(Server):
    """`allucanget api` in a child process (tests/servers.py), plus where its database is."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        super().__init__("api", data_dir, env)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "allucanget.duckdb"


@pytest.fixture
def start_api(tmp_path: Path) -> Iterator[Callable[..., ApiServer]]:
    """Start the API on a data dir (default tmp_path/data); every server is stopped after."""
    servers: list[ApiServer] = []

    def start(data_dir: Path | None = None, **env: str) -> ApiServer:
        server = ApiServer(data_dir or tmp_path / "data", api_env(**env))
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=10.0, limits=limits) as http:
        yield http


async def sign_up(http: httpx.AsyncClient, base: str, email: str) -> dict[str, Any]:
    """Register and sign in; the token pair of the new session."""
    body = {"email": email, "password": PASSWORD}
    registered = await http.post(f"{base}/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    login = await http.post(f"{base}/auth/login", json=body)
    assert login.status_code == 200, login.text
    return dict(login.json())
