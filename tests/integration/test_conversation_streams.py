"""Conversations end to end below the API: DuckDB, the OpenRouter gateway and the simulator.
The simulator answers from the turns it was sent, holds its catalogue's context window, and
a stream cut by either side leaves one whole answer with the text received so far."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest

from adapters.duckdb.database import Database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.system import SystemClock, UuidGenerator
from application.conversations.create_conversation import CreateConversation
from application.conversations.exchange import Exchange, Exchanges
from application.conversations.get_conversation import GetConversation
from application.conversations.send_message import SendMessage
from application.conversations.stream_message import StreamMessage
from application.errors import UpstreamUnavailableError
from application.locks import KeyedLocks
from application.ports.generation import TextDelta, TextRequest
from domain.conversations import ChatTurn, MessageStatus, Role
from tests import simulator_fixtures as fx
from tests.fake_conversations import FakeContextWindows
from tests.integration.conftest import a_user
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator = fx.simulator_session, fx.simulator
MODEL = "openai/gpt-4o"


@dataclass
class Stack:
    database: Database
    gateway: OpenRouterGateway

    def exchanges(self) -> Exchanges:
        return Exchanges(
            DuckDBUnitOfWork(self.database),
            self.gateway,
            FakeContextWindows(),
            SystemClock(),
            UuidGenerator(),
            KeyedLocks(),
        )

    async def conversation(self) -> str:
        uow = DuckDBUnitOfWork(self.database)
        async with uow:
            await uow.users.add(a_user())
            await uow.commit()
        create = CreateConversation(uow, SystemClock(), UuidGenerator(), KeyedLocks())
        return (await create.execute(user_id="u1", model=MODEL, system="Be brief.")).id

    async def messages(self, chat: str) -> list[tuple[Role, MessageStatus, str]]:
        found = await GetConversation(DuckDBUnitOfWork(self.database)).execute(
            user_id="u1", conversation_id=chat
        )
        return [(m.role, m.status, m.content) for m in found.messages]


@pytest.fixture
async def stack(simulator: SimulatorHandle, database: Database) -> AsyncIterator[Stack]:
    async with AsyncExitStack() as stack:
        http = make_http_client(connect_s=2, read_s=2, write_s=2, pool_s=2)
        stack.push_async_callback(http.aclose)
        gateway = OpenRouterGateway(
            http,
            simulator.base_url,
            simulator.api_key,
            retry_base_s=0.01,
            retry_max_wait_s=0.5,
            stream_idle_timeout_s=2.0,
        )
        yield Stack(database, gateway)


async def test_the_simulator_answers_from_every_turn_it_was_sent(stack: Stack) -> None:
    history = (ChatTurn(Role.USER, "Name a colour"), ChatTurn(Role.ASSISTANT, "Blue"))
    request = TextRequest(MODEL, "And another?", 60, system="Be brief.", history=history)
    result = await stack.gateway.complete_text(request)
    assert result.text.startswith("Simulated reply to: And another? turns=3 first: Name a colour")


async def test_the_simulator_holds_the_catalogue_context_length(
    simulator: SimulatorHandle, stack: Stack
) -> None:
    words = [{"role": "user", "content": "w " * 16_000}]
    body = {"model": "openai/gpt-3.5-turbo", "messages": words, "max_tokens": 400}
    refused = simulator.post("/chat/completions", body)
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert message.startswith("This endpoint's maximum context length is 16385 tokens.")
    assert "(16003 of text input, 400 in the output)" in message
    assert simulator.post("/chat/completions", {**body, "max_tokens": 300}).status_code == 200
    with pytest.raises(UpstreamUnavailableError) as caught:
        await stack.gateway.complete_text(TextRequest("openai/gpt-3.5-turbo", "w " * 16_000, 400))
    assert caught.value.reason == "bad_request"


async def test_a_three_turn_conversation_through_the_gateway(stack: Stack) -> None:
    chat = await stack.conversation()
    send = SendMessage(stack.exchanges())
    for text in ("Name a colour", "Another", "And one more"):
        exchange = await send.execute(user_id="u1", conversation_id=chat, content=text)
    assert "turns=5 first: Name a colour" in exchange.assistant_message.content
    assert exchange.assistant_message.usage.total_tokens > 0
    assert len(await stack.messages(chat)) == 6


async def test_a_client_that_leaves_mid_stream_leaves_a_cancelled_partial_answer(
    stack: Stack,
) -> None:
    chat = await stack.conversation()
    stream = StreamMessage(stack.exchanges())
    pending = await stream.prepare(
        user_id="u1", conversation_id=chat, content="Tell me a story [[sim:tokens=40]]"
    )
    assert await stack.messages(chat) == [
        (Role.USER, MessageStatus.COMPLETED, "Tell me a story [[sim:tokens=40]]")
    ]  # stored before anything went upstream
    events = stream.execute(pending)
    received = [await anext(events) for _ in range(3)]
    await events.aclose()  # what Starlette does when the client disconnects

    partial = "".join(e.text for e in received if isinstance(e, TextDelta))
    assert partial == "Simulated reply to:"
    assert (await stack.messages(chat))[1] == (Role.ASSISTANT, MessageStatus.CANCELLED, partial)


async def test_an_upstream_failure_mid_stream_leaves_a_failed_partial_answer(
    stack: Stack,
) -> None:
    chat = await stack.conversation()
    stream = StreamMessage(stack.exchanges())
    pending = await stream.prepare(
        user_id="u1", conversation_id=chat, content="Go on [[sim:fault=midstream_error]]"
    )
    received: list[TextDelta | Exchange] = []
    with pytest.raises(UpstreamUnavailableError):
        async for event in stream.execute(pending):
            received.append(event)
    partial = "".join(e.text for e in received if isinstance(e, TextDelta))
    assert partial
    role, status, content = (await stack.messages(chat))[1]
    assert (role, status, content) == (Role.ASSISTANT, MessageStatus.FAILED, partial)
