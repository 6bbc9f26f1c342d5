"""Builders for the conversation use-case tests: a user, a conversation, the exchanges."""

from __future__ import annotations

from application.conversations.create_conversation import CreateConversation
from application.conversations.exchange import Exchanges
from application.ports.generation import TextRequest
from tests.fake_conversations import FakeContextWindows
from tests.unit.world import World

MODEL = "openai/gpt-4o-mini"


def exchanges(world: World, windows: dict[str, int] | None = None) -> Exchanges:
    return Exchanges(
        world.uow, world.gateway, FakeContextWindows(windows), world.clock, world.ids, world.locks
    )


async def user(world: World, email: str = "ada@example.com") -> str:
    await world.signed_up(email)
    found = await world.uow.users.get_by_email(email)
    assert found is not None
    return found.id


async def started(world: World, user_id: str, **fields: str) -> str:
    create = CreateConversation(world.uow, world.clock, world.ids, world.locks)
    return (await create.execute(user_id=user_id, model=MODEL, **fields)).id


def last_request(world: World) -> TextRequest:
    request = world.gateway.requests[-1]
    assert isinstance(request, TextRequest)
    return request
