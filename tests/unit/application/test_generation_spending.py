"""GenerationSpending in the use cases: reserve before the call, settle after it, keep the
reservation whole when the cost is unknown or a stream was cut after text arrived."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.limit_generations import GenerationLimits, InMemoryGenerationLimiter
from application.budget.reserve_spend import SpendGuard
from application.budget.spending import GenerationSpending
from application.conversations.send_message import SendMessage
from application.generation.generate_text import GenerateText
from application.generation.list_models import ListModels
from application.generation.recording import UnitOfWorkRecorder
from application.generation.stream_text import StreamText
from application.ports.budget import SpendState
from application.ports.generation import ModelInfo
from domain.budgets import Budget, BudgetPeriod
from domain.errors import BudgetExceededError, PriceUnknownError
from domain.generations import Usage
from tests.fake_gateway import USAGE
from tests.unit.conversation_kit import exchanges, started, user
from tests.unit.world import World

MODEL = "openai/gpt-4o-mini"
PRICED = ModelInfo(
    MODEL,
    "GPT-4o mini",
    ("text",),
    ("text",),
    128000,
    {"prompt": "0.00000015", "completion": "0.0000006"},
    max_completion_tokens=16384,
)


def spending(world: World, limit: str | None = "1") -> GenerationSpending:
    world.gateway.models = [PRICED]
    defaults = BudgetDefaults(Budget(None if limit is None else Decimal(limit), BudgetPeriod.DAY))
    ledger = SpendLedger(world.uow, world.locks, defaults)
    limiter = InMemoryGenerationLimiter(GenerationLimits(), world.clock)
    catalogue = ListModels(world.gateway, world.clock, world.model_cache)
    return GenerationSpending(SpendGuard(ledger, world.clock, world.ids), limiter, catalogue)


def entries(world: World) -> list[tuple[Decimal, SpendState]]:
    return [(e.amount, e.state) for e in world.uow.budgets.entries.values()]


def text(world: World, spend: GenerationSpending) -> GenerateText:
    return GenerateText(UnitOfWorkRecorder(world.uow), world.gateway, world.clock, world.ids, spend)


async def test_a_generation_settles_at_its_cost_and_frees_its_slot(world: World) -> None:
    owner, spend = await user(world), spending(world)
    await text(world, spend).execute(user_id=owner, model=MODEL, prompt="hi", max_tokens=10)
    assert entries(world) == [(Decimal("0.0012"), SpendState.SETTLED)]
    assert await spend.limiter.in_flight(owner) == 0


async def test_an_unknown_cost_keeps_the_reservation_whole(world: World) -> None:
    owner, spend = await user(world), spending(world)
    unknown = dataclasses.replace(USAGE, cost=0.0, cost_known=False)
    world.gateway._served = lambda model: dataclasses.replace(  # type: ignore[method-assign]
        type(world.gateway)._served(world.gateway, model), usage=unknown
    )
    await text(world, spend).execute(user_id=owner, model=MODEL, prompt="hi", max_tokens=10)
    ((amount, state),) = entries(world)
    assert state is SpendState.SETTLED and amount == Decimal("0.0000087")  # the whole bound


async def test_a_refused_call_sends_nothing(world: World) -> None:
    owner, spend = await user(world), spending(world, limit="0.000001")
    with pytest.raises(BudgetExceededError):
        await text(world, spend).execute(user_id=owner, model=MODEL, prompt="hi")
    assert world.gateway.requests == [] and entries(world) == []
    assert await spend.limiter.in_flight(owner) == 0
    with pytest.raises(PriceUnknownError):
        await text(world, spending(world)).execute(user_id=owner, model="x/unpriced", prompt="hi")
    assert world.gateway.requests == []


async def test_an_unlimited_user_reserves_nothing(world: World) -> None:
    owner, spend = await user(world), spending(world, limit=None)
    world.gateway.models = []  # not even the catalogue is asked
    await text(world, spend).execute(user_id=owner, model=MODEL, prompt="hi")
    assert entries(world) == []  # the DuckDB recorder writes the cost with the generation
    assert await spend.limiter.in_flight(owner) == 0


async def test_an_unlimited_conversation_message_writes_its_cost_once(world: World) -> None:
    owner, spend = await user(world), spending(world, limit=None)
    conversation = await started(world, owner)
    send = SendMessage(dataclasses.replace(exchanges(world), spending=spend))
    await send.execute(user_id=owner, conversation_id=conversation, content="hi")
    assert entries(world) == [(Decimal("0.0012"), SpendState.SETTLED)]


async def test_a_stream_cut_after_text_keeps_the_reservation_whole(world: World) -> None:
    owner, spend = await user(world), spending(world)
    stream = StreamText(UnitOfWorkRecorder(world.uow), world.gateway, world.clock, world.ids, spend)
    request, generation = stream.prepare(user_id=owner, model=MODEL, prompt="hi", max_tokens=10)
    events = stream.execute(request, generation)
    await anext(events)
    await events.aclose()
    assert entries(world) == [(Decimal("0.0000087"), SpendState.SETTLED)]
    assert await spend.limiter.in_flight(owner) == 0


async def test_a_conversation_message_reserves_and_settles(world: World) -> None:
    owner, spend = await user(world), spending(world)
    conversation = await started(world, owner)
    send = SendMessage(dataclasses.replace(exchanges(world), spending=spend))
    await send.execute(user_id=owner, conversation_id=conversation, content="hi", max_tokens=10)
    assert entries(world) == [(Decimal(str(USAGE.cost)), SpendState.SETTLED)]
    assert await spend.limiter.in_flight(owner) == 0
    tight = spending(world, limit="0.0012")  # what was spent: nothing is left
    send = SendMessage(dataclasses.replace(exchanges(world), spending=tight))
    with pytest.raises(BudgetExceededError):
        await send.execute(user_id=owner, conversation_id=conversation, content="again")
    assert len(world.gateway.requests) == 1


def test_usage_says_whether_the_cost_is_known() -> None:
    assert Usage().cost_known and not Usage(cost_known=False).cost_known
