"""Reservations on a real database (DuckDB and PostgreSQL) under concurrency: 50
simultaneous generations by one user whose budget covers 5 send exactly 5 upstream, and the
settled spend stays within."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal

import pytest

from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.reserve_spend import SpendGuard
from application.locks import KeyedLocks
from domain.budgets import Budget, BudgetPeriod
from domain.errors import BudgetExceededError
from tests.fakes import FakeClock, FakeIdGenerator
from tests.integration.conftest import NOW, a_user
from tests.integration.engines import AnyDatabase, engine_database, uow_of  # noqa: F401

ESTIMATE = Decimal("0.2")
LIMIT = Decimal("1.0")  # covers 5 calls at their bound


async def seed(database: AnyDatabase, *users: str) -> None:
    uow = uow_of(database)
    async with uow:
        for user in users:
            await uow.users.add(a_user(user, f"{user}@example.com"))
        await uow.commit()


IDS = FakeIdGenerator()


@pytest.fixture
def database(engine_database: AnyDatabase) -> AnyDatabase:
    return engine_database


async def burst(database: AnyDatabase, locks: KeyedLocks, user: str, calls: int) -> list[Decimal]:
    """`calls` generations at once; each a request of its own (its own unit of work, as the
    container's factories give). Returns what each call that went upstream was billed."""
    clock = FakeClock(NOW)
    defaults = BudgetDefaults(Budget(LIMIT, BudgetPeriod.DAY))
    billed: list[Decimal] = []
    rng = random.Random(user)

    async def generation(index: int) -> None:
        guard = SpendGuard(SpendLedger(uow_of(database), locks, defaults), clock, IDS)
        try:
            async with guard.hold(user, ESTIMATE, generation_id=f"{user}-g{index}") as hold:
                await asyncio.sleep(rng.random() / 100)  # the upstream call
                cost = ESTIMATE if index % 2 else ESTIMATE * Decimal(rng.random())
                billed.append(cost.quantize(Decimal("0.000000001")))
                await hold.settle(billed[-1])
        except BudgetExceededError:
            return

    await asyncio.gather(*(generation(i) for i in range(calls)))
    return billed


@pytest.mark.slow
async def test_fifty_simultaneous_generations_within_a_budget_for_five(
    database: AnyDatabase,
) -> None:
    locks = KeyedLocks()
    await seed(database, "u1", "u2", "u3")
    worst = Decimal(0)
    for user in ("u1", "u2", "u3"):  # three rounds, each a fresh user
        billed = await burst(database, locks, user, 50)
        assert len(billed) == 5  # exactly five went upstream
        rows = await database.read(
            "SELECT state, count(*), sum(amount) FROM spend WHERE user_id = ? GROUP BY state",
            [user],
        )
        assert {state: count for state, count, _ in rows} == {"settled": 5}
        settled = rows[0][2]
        assert settled == sum(billed)
        worst = max(worst, settled - LIMIT)
    print(f"worst overspend over 3 x 50 concurrent calls: {max(worst, Decimal(0))} USD")
    assert worst <= 0
    assert len(locks) == 0  # every per-user lock was let go


async def test_parallel_users_do_not_hold_each_other_to_one_budget(database: AnyDatabase) -> None:
    locks = KeyedLocks()
    await seed(database, "a", "b")
    results = await asyncio.gather(burst(database, locks, "a", 8), burst(database, locks, "b", 8))
    assert [len(billed) for billed in results] == [5, 5]
