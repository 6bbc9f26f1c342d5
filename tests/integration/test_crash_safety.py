"""Crash safety (security.md #47): `kill -9` the API in the middle of a load; every write it
acknowledged survives, nothing half-written is left, and the API starts again on the data
(the DuckDB file, and a PostgreSQL database)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx

from tests.integration.conftest import PASSWORD, ApiServer, jwt_payload
from tests.integration.engines import api_engine, query_stored  # noqa: F401 (fixture)

CLIENTS = 8
MIN_ROTATIONS = 4 * CLIENTS  # acknowledged before the kill; the clients go on after it
ROUNDS = 100  # per client: a bound, in case the kill never comes
REFRESHES_PER_LOGIN = 20


@dataclass
class Acknowledged:
    """What the API answered with a 2xx, so promised to keep."""

    emails: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)  # jti of every refresh token handed out
    rotations: dict[str, str] = field(default_factory=dict)  # old jti -> successor jti
    answers: Counter[int] = field(default_factory=Counter)
    cut_off: int = 0  # requests that died with the process
    enough: asyncio.Event = field(default_factory=asyncio.Event)  # MIN_ROTATIONS reached

    def refresh_token(self, answer: httpx.Response) -> str:
        token = str(answer.json()["refresh_token"])
        self.tokens.add(jwt_payload(token)["jti"])
        return token


class Token(NamedTuple):
    jti: str
    user_id: str
    family_id: str
    parent_jti: str | None
    revoked_at: object
    replaced_by: str | None


async def post(
    http: httpx.AsyncClient, url: str, ack: Acknowledged, body: dict[str, str]
) -> httpx.Response:
    answer = await http.post(url, json=body)
    ack.answers[answer.status_code] += 1
    return answer


async def session(http: httpx.AsyncClient, base: str, email: str, ack: Acknowledged) -> bool:
    """Register, sign in and rotate the session's own token; False once anything fails."""
    credentials = {"email": email, "password": PASSWORD}
    if (await post(http, f"{base}/auth/register", ack, credentials)).status_code != 201:
        return False
    ack.emails.add(email)
    login = await post(http, f"{base}/auth/login", ack, credentials)
    if login.status_code != 200:
        return False
    token = ack.refresh_token(login)
    for _ in range(REFRESHES_PER_LOGIN):
        answer = await post(http, f"{base}/auth/refresh", ack, {"refresh_token": token})
        if answer.status_code != 200:
            return False
        successor = ack.refresh_token(answer)
        ack.rotations[jwt_payload(token)["jti"]] = jwt_payload(successor)["jti"]
        if len(ack.rotations) >= MIN_ROTATIONS:
            ack.enough.set()
        token = successor
    return True


async def client(base: str, n: int, ack: Acknowledged) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        for round_ in range(ROUNDS):
            try:
                if not await session(http, base, f"c{n}-{round_}@example.com", ack):
                    return
            except httpx.TransportError:
                ack.cut_off += 1
                return


async def load_then_kill(api: ApiServer) -> Acknowledged:
    """Kill -9 as soon as MIN_ROTATIONS were acknowledged, while the clients go on."""
    ack = Acknowledged()
    clients = asyncio.gather(*(client(api.url, n, ack) for n in range(CLIENTS)))
    enough = asyncio.create_task(ack.enough.wait())
    await asyncio.wait([enough, clients], return_when=asyncio.FIRST_COMPLETED)
    enough.cancel()
    assert ack.enough.is_set(), f"the clients stopped first: {ack.answers}"
    api.kill()
    await clients
    return ack


def stored(api: ApiServer) -> tuple[set[str], dict[str, Token]]:
    emails = {row[0] for row in read(api, "SELECT email FROM users")}
    sql = "SELECT jti, user_id, family_id, parent_jti, revoked_at, replaced_by FROM refresh_tokens"
    tokens = [Token(*row) for row in read(api, sql)]
    return emails, {token.jti: token for token in tokens}


def read(api: ApiServer, sql: str) -> list[tuple[Any, ...]]:
    """What the stopped API stored: its DuckDB file (WAL replayed), or its PostgreSQL."""
    return query_stored(api.env, api.database_path, sql)


def assert_nothing_half_written(api: ApiServer) -> None:
    user_ids = {row[0] for row in read(api, "SELECT id FROM users")}
    _, tokens = stored(api)
    live: Counter[str] = Counter()
    for token in tokens.values():
        assert token.user_id in user_ids, token
        if token.replaced_by is not None:
            assert tokens[token.replaced_by].parent_jti == token.jti, token
        if token.parent_jti is not None:
            assert tokens[token.parent_jti].replaced_by == token.jti, token
        if token.revoked_at is None and token.replaced_by is None:
            live[token.family_id] += 1
    assert all(count == 1 for count in live.values()), live


def assert_everything_acknowledged_is_stored(api: ApiServer, ack: Acknowledged) -> None:
    emails, tokens = stored(api)
    assert ack.emails <= emails, ack.emails - emails
    assert ack.tokens <= tokens.keys(), ack.tokens - tokens.keys()
    for old, new in ack.rotations.items():
        assert (tokens[old].replaced_by, tokens[new].parent_jti) == (new, old)


async def test_a_killed_api_keeps_every_acknowledged_write_and_starts_again_on_its_data(
    start_api: Callable[..., ApiServer], api_engine: dict[str, str]
) -> None:
    api = start_api(**api_engine)
    wal = api.data_dir / "allucanget.duckdb.wal"
    duckdb = not api_engine

    ack = await load_then_kill(api)

    assert set(ack.answers) <= {200, 201}, ack.answers  # no 5xx, no surprise 4xx under load
    assert ack.cut_off > 0, "the kill should land while requests are in flight"
    assert ack.emails
    assert ack.rotations
    assert wal.exists() or not duckdb  # no checkpoint ran
    assert_everything_acknowledged_is_stored(api, ack)  # the WAL is replayed
    assert_nothing_half_written(api)

    again = start_api(data_dir=api.data_dir, **api_engine)
    async with httpx.AsyncClient(timeout=10.0) as http:
        login = await http.post(
            f"{again.url}/auth/login", json={"email": min(ack.emails), "password": PASSWORD}
        )
    assert again.stop() in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after shutdown

    assert login.status_code == 200
    assert not wal.exists()  # a clean stop checkpoints (DuckDB); PostgreSQL made none
    assert_everything_acknowledged_is_stored(api, ack)
    assert_nothing_half_written(api)
