"""Two API processes on one PostgreSQL database, for the tests of what must hold across
processes (issue 19): `two_apis` starts them, each a real `allucanget api` child process
with its own port and connection pool, and the OpenRouter simulator.

The simulator is one app (one state: its video jobs, its request log) served on two
loopback ports, one per API process: each process's upstream calls carry its own port in
their Host header, so a test can tell which process polled a video job
(`TwoApis.polls_by_process`). Both processes share one data directory (the media volume)
and one signing key, as instances behind one load balancer would.

    from tests.multiprocess import TwoApis, two_apis  # noqa: F401 (fixture)

    def test_something(two_apis: TwoApis) -> None:
        a, b = two_apis.urls
        ...

`start_two_apis(pg_url, root, **env)` starts them with other settings (a context manager)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from simulator.app import create_app
from simulator.config import SimulatorConfig
from tests.servers import SIMULATOR_KEY, Server, server_env

API_PATH = "/api/v1"


@dataclass
class SharedSimulator:
    """One simulator served on two ports (`origins`), in a thread of the test process."""

    origins: tuple[str, str]

    def requests(self, path_suffix: str | None = None) -> list[dict[str, Any]]:
        params = {} if path_suffix is None else {"path": path_suffix}
        answer = httpx.get(f"{self.origins[0]}/__sim/requests", params=params, timeout=10)
        answer.raise_for_status()
        return list(answer.json()["data"])

    def set_scenario(self, **changes: object) -> None:
        httpx.post(f"{self.origins[0]}/__sim/scenario", json=changes, timeout=10)


@contextmanager
def shared_simulator(config: SimulatorConfig | None = None) -> Iterator[SharedSimulator]:
    sockets = []
    for _ in range(2):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    app = create_app(config or SimulatorConfig(api_key=SIMULATOR_KEY, max_request_log=100_000))
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", backlog=1024)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the shared simulator did not start")
            time.sleep(0.01)
        ports = [sock.getsockname()[1] for sock in sockets]
        yield SharedSimulator((f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}"))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for sock in sockets:
            sock.close()


@dataclass
class TwoApis:
    servers: tuple[Server, Server]
    simulator: SharedSimulator
    database_url: str

    @property
    def urls(self) -> tuple[str, str]:
        return self.servers[0].url, self.servers[1].url

    def poll_order(self) -> dict[str, list[int]]:
        """For each upstream video job id, the process (0 or 1) of each poll, in order."""
        ports = {origin.rsplit(":", 1)[1]: i for i, origin in enumerate(self.simulator.origins)}
        polls: dict[str, list[int]] = {}
        for entry in sorted(self.simulator.requests(), key=lambda entry: entry["seq"]):
            parts = entry["path"].split("/")  # /api/v1/videos/{id}, not .../content or /models
            if entry["method"] != "GET" or len(parts) != 5 or parts[3] != "videos":
                continue
            if parts[4] == "models":
                continue
            port = entry["headers"]["host"].rsplit(":", 1)[1]
            polls.setdefault(parts[4], []).append(ports[port])
        return polls

    def polls_by_process(self) -> dict[str, Counter[int]]:
        """For each upstream video job id, how many polls came from process 0 and 1."""
        return {job: Counter(order) for job, order in self.poll_order().items()}


@contextmanager
def start_two_apis(database_url: str, root: Path, **env: str) -> Iterator[TwoApis]:
    with shared_simulator() as simulator:
        data = root / "data"  # one media volume for both, as several machines would mount
        servers: list[Server] = []
        try:
            for origin in simulator.origins:
                settings = server_env(
                    ALLUCANGET_DATABASE_URL=database_url,
                    OPENROUTER_API_KEY=SIMULATOR_KEY,
                    OPENROUTER_BASE_URL=f"{origin}{API_PATH}",
                    **env,
                )
                servers.append(Server("api", data, settings).start())
            yield TwoApis((servers[0], servers[1]), simulator, database_url)
        finally:
            for server in servers:
                server.stop()


@pytest.fixture
def two_apis(pg_url: str, tmp_path: Path) -> Iterator[TwoApis]:
    with start_two_apis(pg_url, tmp_path) as apis:
        yield apis


PASSWORD = "correct horse battery staple"


def signed_up(url: str, email: str) -> dict[str, Any]:
    """Register `email` through the API at `url` and sign in: the sign-in answer."""
    registered = httpx.post(f"{url}/auth/register", json={"email": email, "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    return signed_in(url, email)


def signed_in(url: str, email: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = httpx.post(f"{url}/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
