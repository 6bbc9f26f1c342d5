"""Reservations by two processes on one PostgreSQL: each has its own pool and its own
PgAdvisoryLocks (as two `allucanget api` processes do), and 50 simultaneous generations of
one user, spread over both, on a budget that covers 5 reserve exactly 5. No call settles
before every other has tried to reserve (an event, not a sleep), so none frees budget for
a sixth. With only in-process locks the two processes' reservations overshoot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from adapters.postgres.database import PgDatabase
from adapters.postgres.locks import PgAdvisoryLocks
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.reserve_spend import SpendGuard
from domain.budgets import Budget, BudgetPeriod
from domain.errors import BudgetExceededError
from tests.fakes import FakeClock, FakeIdGenerator
from tests.integration.conftest import NOW, a_user

ESTIMATE = Decimal("0.2")
LIMIT = Decimal("1.0")  # covers 5 calls at their bound
CALLS = 50

Process = tuple[PgDatabase, PgAdvisoryLocks]


@pytest.fixture
async def processes(pg_url: str) -> AsyncIterator[list[Process]]:
    made = [(PgDatabase(pg_url), PgAdvisoryLocks(pg_url, size=4)) for _ in range(2)]
    for database, _ in made:
        await database.open()
    uow = PgUnitOfWork(made[0][0])
    async with uow:
        await uow.users.add(a_user("u1", "u1@example.com"))
        await uow.commit()
    yield made
    for database, locks in made:
        await locks.close()
        await database.close()


async def test_fifty_reservations_over_two_processes_within_a_budget_for_five(
    processes: list[Process],
) -> None:
    clock, ids = FakeClock(NOW), FakeIdGenerator()
    defaults = BudgetDefaults(Budget(LIMIT, BudgetPeriod.DAY))
    tried, everyone_tried = 0, asyncio.Event()
    billed: list[int] = []

    def one_more_tried() -> None:
        nonlocal tried
        tried += 1
        if tried == CALLS:
            everyone_tried.set()

    async def generation(index: int) -> None:
        database, locks = processes[index % 2]
        guard = SpendGuard(SpendLedger(PgUnitOfWork(database), locks, defaults), clock, ids)
        try:
            async with guard.hold("u1", ESTIMATE, generation_id=f"g{index}") as hold:
                one_more_tried()
                await everyone_tried.wait()  # the upstream call, until all have reserved
                billed.append(index)
                await hold.settle(ESTIMATE)
        except BudgetExceededError:
            one_more_tried()

    async with asyncio.timeout(60):
        await asyncio.gather(*(generation(i) for i in range(CALLS)))

    assert len(billed) == 5
    rows = await processes[1][0].read(
        "SELECT state, count(*), sum(amount) FROM spend WHERE user_id = ? GROUP BY state",
        ["u1"],
    )
    assert [(state, count, total) for state, count, total in rows] == [("settled", 5, LIMIT)]
