"""Integration fixtures: a DuckDB file on tmp_path, seed rows, and the real API on loopback."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from adapters.duckdb.database import Database, open_database
from domain.tokens import RefreshToken
from domain.users import Role, User

SECRET = "integration-tests-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"
CHEAP_HASHING = {  # the OWASP floor (security.md #1): valid settings, fast enough for tests
    "ALLUCANGET_ARGON2_MEMORY_KIB": "19456",
    "ALLUCANGET_ARGON2_TIME_COST": "2",
    "ALLUCANGET_ARGON2_PARALLELISM": "1",
}
STARTUP_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLUCANGET_", "OPENROUTER"))}
    env.update(CHEAP_HASHING, ALLUCANGET_SECRET_KEY=SECRET, ALLUCANGET_LOG_LEVEL="WARNING")
    env.update(overrides)
    return env


@dataclass
class ApiServer:
    """`allucanget api` in a child process; only ever bound to 127.0.0.1."""

    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "allucanget.duckdb"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / "api.log"

    def start(self) -> ApiServer:
        command = [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "api",
            "--data-dir",
            str(self.data_dir),
            "--api-port",
            str(self.port),
            "--host",
            "127.0.0.1",
        ]
        with self.log_path.open("ab") as log:  # cwd outside the repo: no stray .env is read
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=self.data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"API exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"API not healthy after {STARTUP_TIMEOUT_S} s:\n{self.log()}")

    def stop(self) -> int | None:
        """SIGTERM and wait: uvicorn shuts down, the database checkpoints and closes."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.terminate()
        try:
            return self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL (`kill -9`): no shutdown, no checkpoint; only the WAL remains."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


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
