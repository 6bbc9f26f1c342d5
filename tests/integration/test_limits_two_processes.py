"""The limits hold across processes: two real `allucanget api` processes on loopback share
one PostgreSQL database (the OpenRouter simulator upstream), and every burst is spread over
both. The login throttle, the budget reservations (under the owner's advisory lock) and the
per-user concurrency limit live in the database, so two processes give no more than one."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.test_budget_over_http import (
    ADMIN,
    BODY,
    USER,
    chat_requests,
    signed_in,
    slow_upstream,
)
from tests.servers import SIMULATOR_KEY, Server, Simulator, server_env

pytestmark = pytest.mark.slow


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    sim = Simulator(tmp_path / "sim").start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def start_two(tmp_path: Path, simulator: Simulator, pg_url: str) -> Iterator[Any]:
    """Starts two API processes on one database with the given settings; stops them after."""
    started: list[Server] = []

    def start(**settings: str) -> tuple[Server, Server]:
        env = server_env(
            ALLUCANGET_DATABASE_URL=pg_url,
            OPENROUTER_BASE_URL=simulator.base_url,
            OPENROUTER_API_KEY=SIMULATOR_KEY,
            ALLUCANGET_ADMIN_EMAIL=ADMIN["email"],
            ALLUCANGET_ADMIN_PASSWORD=ADMIN["password"],
            **settings,
        )
        for name in ("a", "b"):  # one after the other: the first migrates and bootstraps
            started.append(Server("api", tmp_path / name / "data", env).start())
        return started[0], started[1]

    yield start
    for server in started:
        server.stop()


def spread(servers: tuple[Server, Server], n: int) -> str:
    return servers[n % 2].url


async def test_forty_wrong_passwords_over_two_processes_get_five_checks(start_two: Any) -> None:
    servers = start_two()
    async with httpx.AsyncClient(timeout=60) as http:
        register = await http.post(f"{servers[0].url}/auth/register", json=USER)
        assert register.status_code == 201, register.text
        wrong = {"email": USER["email"], "password": "not the password"}
        answers = await asyncio.gather(
            *(
                http.post(
                    f"{spread(servers, n)}/auth/login",
                    json=wrong,
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                )
                for n in range(40)
            )
        )
        right = await http.post(
            f"{servers[1].url}/auth/login", json=USER, headers={"X-Forwarded-For": "192.0.2.9"}
        )
    codes = Counter(answer.status_code for answer in answers)
    assert codes == Counter({401: 5, 429: 35})
    assert all(int(a.headers["Retry-After"]) >= 1 for a in answers if a.status_code == 429)
    assert right.status_code == 429  # the account is locked for every new address, in both


async def test_fifty_generations_over_two_processes_on_a_budget_for_five(
    start_two: Any, simulator: Simulator
) -> None:
    servers = start_two(
        ALLUCANGET_MAX_CONCURRENT_GENERATIONS="1000",
        ALLUCANGET_GENERATIONS_PER_MINUTE="100000",
    )
    async with httpx.AsyncClient(timeout=90) as http:
        admin, user = await signed_in(http, servers[0].url)
        me = (await http.get(f"{servers[0].url}/auth/me", headers=user)).json()
        estimates = [  # each process reads the catalogue now, before the upstream slows
            await http.post(
                f"{server.url}/generate/estimate", headers=user, json={"kind": "text", **BODY}
            )
            for server in servers
        ]
        limit = Decimal(str(estimates[0].json()["max_cost"])) * 5
        put = await http.put(
            f"{servers[1].url}/users/{me['id']}/budget",
            headers=admin,
            json={"limit": float(limit), "period": "day"},
        )
        assert put.status_code == 200, put.text
        slow_upstream(simulator, 3000)  # every call in flight when the last one reserves
        answers = await asyncio.gather(
            *(
                http.post(f"{spread(servers, n)}/generate/text", headers=user, json=BODY)
                for n in range(50)
            )
        )
        status = [
            (await http.get(f"{server.url}/me/budget", headers=user)).json() for server in servers
        ]
    codes = Counter(answer.status_code for answer in answers)
    assert codes == Counter({200: 5, 402: 45}), codes
    assert chat_requests(simulator) == 5
    assert status[0] == status[1]
    assert status[0]["reserved"] == 0 and Decimal(str(status[0]["spent"])) <= limit


async def test_the_concurrency_limit_holds_over_two_processes(
    start_two: Any, simulator: Simulator
) -> None:
    servers = start_two(
        ALLUCANGET_MAX_CONCURRENT_GENERATIONS="2",
        ALLUCANGET_GENERATIONS_PER_MINUTE="100",
    )
    async with httpx.AsyncClient(timeout=60) as http:
        _, user = await signed_in(http, servers[0].url)
        slow_upstream(simulator, 1500)
        answers = await asyncio.gather(
            *(
                http.post(f"{spread(servers, n)}/generate/text", headers=user, json=BODY)
                for n in range(8)
            )
        )
        slow_upstream(simulator, 0)
        after = [
            await http.post(f"{server.url}/generate/text", headers=user, json=BODY)
            for server in servers
        ]
    codes = Counter(answer.status_code for answer in answers)
    assert codes == Counter({200: 2, 429: 6}), codes
    assert all(a.headers["Retry-After"] == "1" for a in answers if a.status_code == 429)
    assert [answer.status_code for answer in after] == [200, 200]  # the slots were freed
    assert chat_requests(simulator) == 4
