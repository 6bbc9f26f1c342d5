"""Streamed answers on fakes: however the stream ends, one whole answer is stored."""

from __future__ import annotations

import pytest

from application.conversations.exchange import Exchange
from application.conversations.stream_message import StreamMessage
from application.errors import OwnerDeletedError, UpstreamUnavailableError
from application.ports.generation import TextDelta
from domain.conversations import MessageStatus
from domain.generations import GenerationStatus
from tests.unit.conversation_kit import exchanges, started, user
from tests.unit.world import World


async def test_a_whole_stream_yields_the_deltas_then_the_stored_exchange(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    stream = StreamMessage(exchanges(world))
    pending = await stream.prepare(user_id=ada, conversation_id=chat, content="hi")
    events = [event async for event in stream.execute(pending)]
    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "Hello",
        " there",
        ", ",
        "friend",
    ]
    done = events[-1]
    assert isinstance(done, Exchange)
    assert (done.assistant_message.content, done.assistant_message.status) == (
        "Hello there, friend",
        MessageStatus.COMPLETED,
    )


async def test_a_client_that_leaves_leaves_a_cancelled_answer_with_the_text_so_far(
    world: World,
) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    stream = StreamMessage(exchanges(world))
    events = stream.execute(await stream.prepare(user_id=ada, conversation_id=chat, content="hi"))
    assert [await anext(events), await anext(events)] == [TextDelta("Hello"), TextDelta(" there")]
    await events.aclose()

    answer = max(world.uow.conversations.messages_by_id.values(), key=lambda m: m.position)
    assert (answer.status, answer.content, answer.error_code) == (
        MessageStatus.CANCELLED,
        "Hello there",
        "stream_cancelled",
    )
    generation = world.uow.generations.rows[answer.generation_id or ""]
    assert (generation.status, generation.text) == (GenerationStatus.FAILED, "Hello there")


async def test_an_upstream_failure_mid_stream_stores_a_failed_answer_then_raises(
    world: World,
) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    world.gateway.fail_with, world.gateway.fail_after_deltas = UpstreamUnavailableError(), 3
    stream = StreamMessage(exchanges(world))
    pending = await stream.prepare(user_id=ada, conversation_id=chat, content="hi")
    with pytest.raises(UpstreamUnavailableError):
        async for _ in stream.execute(pending):
            pass
    answer = max(world.uow.conversations.messages_by_id.values(), key=lambda m: m.position)
    assert (answer.status, answer.content) == (MessageStatus.FAILED, "Hello there, ")


async def test_an_answer_for_a_user_deleted_meanwhile_is_not_written(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    ex = exchanges(world)
    pending = await ex.ask(user_id=ada, conversation_id=chat, content="hi")
    await world.delete_user().execute(actor_id="admin", user_id=ada)
    with pytest.raises(OwnerDeletedError):
        await ex.complete(pending)
    assert world.uow.generations.rows == {}
    assert world.uow.conversations.messages_by_id == {}


async def test_an_answer_in_a_conversation_deleted_meanwhile_keeps_its_generation(
    world: World,
) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    ex = exchanges(world)
    pending = await ex.ask(user_id=ada, conversation_id=chat, content="hi")
    async with world.uow as uow:
        await uow.conversations.delete(chat)
        await uow.commit()
    exchange = await ex.complete(pending)
    assert exchange.assistant_message.content == "echo: hi"
    assert list(world.uow.generations.rows) == [exchange.assistant_message.generation_id]
    assert world.uow.conversations.messages_by_id == {}
