"""The simulator world the OpenRouterGateway tests share: gateways on the loopback simulator,
requests, and the checks that no key ever shows (in a log line, an error, a traceback)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from application.ports.generation import TextDelta, TextRequest, TextResult
from domain.errors import Error
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle as Sim

simulator_session, simulator = fx.simulator_session, fx.simulator
CHAT = "/chat/completions"
WRONG_KEY = "sk-or-v1-not-the-simulator-key-0123456789"
SECRETS = (fx.TEST_CONFIG.api_key, WRONG_KEY)


@pytest.fixture(autouse=True)
def no_key_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """security.md #16: whatever a test does, no log line (ours, httpx's) holds a key."""
    caplog.set_level(logging.DEBUG)
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in records) + caplog.text
    assert not any(secret in logged for secret in SECRETS)


@dataclass
class World:
    """The simulator, and gateways on it (each with its own client, closed after the test)."""

    sim: Sim
    clients: AsyncExitStack

    def gateway(self, read_s: float = 2, **options: Any) -> OpenRouterGateway:
        http = make_http_client(connect_s=2, read_s=read_s, write_s=2, pool_s=2)
        self.clients.push_async_callback(http.aclose)
        settings: dict[str, Any] = {"retry_base_s": 0.01, "retry_max_wait_s": 0.5}
        settings |= {"stream_idle_timeout_s": 2.0, **options}
        key = settings.pop("api_key", self.sim.api_key)
        return OpenRouterGateway(http, settings.pop("base_url", self.sim.base_url), key, **settings)

    def attempts(self, path: str = CHAT) -> int:
        return len(self.sim.requests(path))


@pytest.fixture
async def world(simulator: Sim) -> AsyncIterator[World]:
    async with AsyncExitStack() as clients:
        yield World(simulator, clients)


def ask(prompt: str = "Hi", model: str = "openai/gpt-4o", **fields: Any) -> TextRequest:
    return TextRequest(model, prompt, fields.pop("max_tokens", 40), **fields)


def faulty(fault: str) -> TextRequest:
    return ask(f"Tell me a story [[sim:fault={fault}]]")


def assert_clean(error: BaseException) -> None:
    """No key in the message, the repr, or the whole chained traceback."""
    text = "".join(traceback.format_exception(error)) + repr(error) + str(error)
    assert not any(secret in text for secret in SECRETS)


async def failure(call: Any) -> Error:
    try:
        await call
    except Error as error:
        assert_clean(error)
        return error
    raise AssertionError("no error raised")


async def collect(stream: AsyncIterator[Any]) -> tuple[list[str], Error | TextResult]:
    """(delta texts, then the final TextResult or the raised error)."""
    deltas: list[str] = []
    try:
        async for event in stream:
            if isinstance(event, TextResult):
                return deltas, event
            assert isinstance(event, TextDelta) and event.text
            deltas.append(event.text)
    except Error as error:
        assert_clean(error)
        return deltas, error
    raise AssertionError("the stream ended without a TextResult")
