"""The login throttle over HTTP with real adapters (security.md #7): parallel requests cannot
overshoot a limit; password change and registration are throttled too; every refusal is a
429 `rate_limited` problem with `Retry-After`. The transport's peer is loopback, a trusted
proxy, so X-Forwarded-For names each request's client address."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import PASSWORD
from tests.api.test_auth_api import assert_problem

ADA = {"email": "ada@example.com", "password": PASSWORD}
HOME = {"X-Forwarded-For": "192.0.2.1"}


@pytest.fixture
async def asgi(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(container.settings(), container)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


def from_(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def signed_in(asgi: httpx.AsyncClient) -> dict[str, str]:
    """Ada, registered and signed in from HOME; the headers of her session (from HOME)."""
    assert (await asgi.post("/auth/register", json=ADA, headers=HOME)).status_code == 201
    login = await asgi.post("/auth/login", json=ADA, headers=HOME)
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def refused(response: httpx.Response) -> bool:
    if response.status_code != 429:
        return False
    assert_problem(response, 429, "rate_limited")
    assert int(response.headers["retry-after"]) >= 1
    return True


def statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses if not refused(response))


async def test_forty_parallel_wrong_passwords_get_five_checks(asgi: httpx.AsyncClient) -> None:
    await signed_in(asgi)
    wrong = {"email": ADA["email"], "password": "wrong password"}

    responses = await asyncio.gather(
        *(asgi.post("/auth/login", json=wrong, headers=from_(f"198.51.100.{n}")) for n in range(40))
    )

    assert Counter(r.status_code for r in responses) == {401: 5, 429: 35}
    assert statuses(responses) == {401: 5}
    assert refused(await asgi.post("/auth/login", json=ADA, headers=from_("203.0.113.1")))
    assert (await asgi.post("/auth/login", json=ADA, headers=HOME)).status_code == 200


async def test_forty_parallel_failures_from_one_address_get_twenty_checks(
    asgi: httpx.AsyncClient,
) -> None:
    await signed_in(asgi)
    attacker = from_("198.51.100.66")

    wrong = [{"email": f"u{n}@example.com", "password": "wrong"} for n in range(40)]

    responses = await asyncio.gather(
        *(asgi.post("/auth/login", json=body, headers=attacker) for body in wrong)
    )

    assert statuses(responses) == {401: 20}
    assert refused(await asgi.post("/auth/login", json=ADA, headers=attacker))
    assert (
        await asgi.post("/auth/login", json=ADA, headers=from_("203.0.113.1"))
    ).status_code == 200


async def test_a_stolen_session_cannot_guess_the_current_password(
    asgi: httpx.AsyncClient,
) -> None:
    session = {**await signed_in(asgi), **from_("198.51.100.66")}

    def change(current: str) -> Any:
        body = {"current_password": current, "new_password": "a brand new passphrase"}
        return asgi.put("/auth/password", json=body, headers=session)

    for n in range(5):
        assert_problem(await change(f"guess {n}"), 401, "invalid_credentials")
    assert refused(await change(PASSWORD))
    assert refused(await asgi.post("/auth/login", json=ADA, headers=from_("203.0.113.1")))
    assert (await asgi.post("/auth/login", json=ADA, headers=HOME)).status_code == 200


async def test_taken_emails_are_throttled_per_address_only(asgi: httpx.AsyncClient) -> None:
    await signed_in(asgi)
    prober = from_("198.51.100.66")
    for _ in range(20):
        assert_problem(
            await asgi.post("/auth/register", json=ADA, headers=prober), 409, "email_taken"
        )

    fresh = {"email": "fresh@example.com", "password": PASSWORD}
    assert refused(await asgi.post("/auth/register", json=fresh, headers=prober))

    elsewhere = from_("203.0.113.1")
    assert_problem(
        await asgi.post("/auth/login", json=fresh, headers=elsewhere), 401, "invalid_credentials"
    )
    assert (await asgi.post("/auth/login", json=ADA, headers=elsewhere)).status_code == 200
    assert (await asgi.post("/auth/register", json=fresh, headers=elsewhere)).status_code == 201
