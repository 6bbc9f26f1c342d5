"""Budgets and generation limits against the real API process and the OpenRouter simulator:
50 simultaneous generations by one user whose budget covers 5 send at most 5 upstream, and
the per-user limits answer 429 with Retry-After."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.engines import api_engine  # noqa: F401 (fixture)
from tests.servers import SIMULATOR_KEY, Server, Simulator, server_env

ADMIN = {"email": "root@example.com", "password": "an admin passphrase for tests"}
USER = {"email": "ada@example.com", "password": "correct horse battery staple"}
BODY = {"prompt": "Say hi", "model": "openai/gpt-4o-mini", "max_tokens": 40}
PARALLEL, COVERED = 50, 5


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    sim = Simulator(tmp_path / "sim").start()
    try:
        yield sim
    finally:
        sim.stop()


def start_api(tmp_path: Path, simulator: Simulator, **limits: str) -> Server:
    env = server_env(
        OPENROUTER_BASE_URL=simulator.base_url,
        OPENROUTER_API_KEY=SIMULATOR_KEY,
        ALLUCANGET_ADMIN_EMAIL=ADMIN["email"],
        ALLUCANGET_ADMIN_PASSWORD=ADMIN["password"],
        **limits,
    )
    return Server("api", tmp_path / "data", env).start()


async def signed_in(http: httpx.AsyncClient, url: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the admin's headers, a new user's headers)."""
    admin = (await http.post(f"{url}/auth/login", json=ADMIN)).json()
    assert (await http.post(f"{url}/auth/register", json=USER)).status_code == 201
    user = (await http.post(f"{url}/auth/login", json=USER)).json()
    return (
        {"Authorization": f"Bearer {admin['access_token']}"},
        {"Authorization": f"Bearer {user['access_token']}"},
    )


def chat_requests(simulator: Simulator) -> int:
    log = httpx.get(f"{simulator.origin}/__sim/requests?path=/chat/completions").json()
    return len(log["data"])


def slow_upstream(simulator: Simulator, latency_ms: int) -> None:
    answer = httpx.post(f"{simulator.origin}/__sim/scenario", json={"latency_ms": latency_ms})
    answer.raise_for_status()


async def test_fifty_parallel_generations_on_a_budget_for_five(
    tmp_path: Path, simulator: Simulator, api_engine: dict[str, str]
) -> None:
    # Not about the rate limits: they are raised so that the budget is what stops requests.
    api = start_api(
        tmp_path,
        simulator,
        ALLUCANGET_MAX_CONCURRENT_GENERATIONS="1000",
        ALLUCANGET_GENERATIONS_PER_MINUTE="100000",
        **api_engine,
    )
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            admin, user = await signed_in(http, api.url)
            me = (await http.get(f"{api.url}/auth/me", headers=user)).json()
            estimate = await http.post(
                f"{api.url}/generate/estimate", headers=user, json={"kind": "text", **BODY}
            )
            bound = Decimal(str(estimate.json()["max_cost"]))
            limit = bound * COVERED
            put = await http.put(
                f"{api.url}/users/{me['id']}/budget",
                headers=admin,
                json={"limit": float(limit), "period": "day"},
            )
            assert put.status_code == 200, put.text
            # Every call must still be in flight when the last one reserves: a call that has
            # already settled (at its actual cost, below the bound) rightly frees budget for
            # a sixth. 300 ms was not always enough on a loaded machine; 2 s is.
            slow_upstream(simulator, 2000)
            answers = await asyncio.gather(
                *(
                    http.post(f"{api.url}/generate/text", headers=user, json=BODY)
                    for _ in range(PARALLEL)
                )
            )
            status: dict[str, Any] = (await http.get(f"{api.url}/me/budget", headers=user)).json()
    finally:
        api.stop()
    codes = sorted(answer.status_code for answer in answers)
    assert set(codes) <= {200, 402}, codes
    assert 1 <= codes.count(200) <= COVERED
    assert all(a.json()["code"] == "budget_exceeded" for a in answers if a.status_code == 402)
    assert chat_requests(simulator) <= COVERED
    spent = Decimal(str(status["spent"]))
    assert status["reserved"] == 0 and spent <= limit
    overspend = max(Decimal(0), spent - limit)
    print(
        f"\n{codes.count(200)} sent of {PARALLEL}; spent {spent} of {limit}: overspend {overspend}"
    )


async def test_the_per_user_limits_answer_429_with_retry_after(
    tmp_path: Path, simulator: Simulator
) -> None:
    api = start_api(
        tmp_path,
        simulator,
        ALLUCANGET_MAX_CONCURRENT_GENERATIONS="2",
        ALLUCANGET_GENERATIONS_PER_MINUTE="4",
    )
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            _, user = await signed_in(http, api.url)
            slow_upstream(simulator, 500)
            parallel = await asyncio.gather(
                *(http.post(f"{api.url}/generate/text", headers=user, json=BODY) for _ in range(3))
            )
            slow_upstream(simulator, 0)
            later = [
                await http.post(f"{api.url}/generate/text", headers=user, json=BODY)
                for _ in range(3)
            ]
    finally:
        api.stop()
    in_flight = sorted(answer.status_code for answer in parallel)
    assert in_flight == [200, 200, 429]
    busy = next(answer for answer in parallel if answer.status_code == 429)
    assert busy.json()["code"] == "rate_limited" and busy.headers["Retry-After"] == "1"
    # 2 started above (the refused one took no slot), 2 more fit in the minute, then 429
    assert [answer.status_code for answer in later] == [200, 200, 429]
    assert 1 <= int(later[-1].headers["Retry-After"]) <= 60
    assert chat_requests(simulator) == 4
