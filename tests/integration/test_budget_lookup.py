"""The per-request budget check (SqlBudgetLookup): served from the budget cache, and a
committed change of a user's override seen by the very next read."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from adapters.duckdb.database import Database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.sql.budgets import SqlBudgetLookup
from domain.budgets import Budget, BudgetPeriod

TEN = Budget(Decimal("10"), BudgetPeriod.MONTH)


def counting_reads(database: Database) -> list[str]:
    reads: list[str] = []
    read = database.read

    async def counted(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        reads.append(sql)
        return await read(sql, params)

    database.read = counted  # type: ignore[method-assign]
    return reads


async def set_budget(database: Database, user_id: str, budget: Budget | None) -> None:
    async with DuckDBUnitOfWork(database) as uow:
        await uow.budgets.set(user_id, budget)
        await uow.commit()


async def test_repeats_come_from_the_cache_and_a_committed_change_is_read_at_once(
    database: Database,
) -> None:
    reads, lookup = counting_reads(database), SqlBudgetLookup(database)
    assert await lookup.get("u1") is None  # no override: cached as such
    assert await lookup.get("u1") is None
    assert len(reads) == 1
    async with DuckDBUnitOfWork(database) as uow:
        await uow.budgets.set("u1", TEN)  # not committed: nothing changes
    assert await lookup.get("u1") is None and len(reads) == 1
    await set_budget(database, "u1", TEN)
    assert await lookup.get("u1") == TEN
    assert await lookup.get("u1") == TEN and len(reads) == 2
    await set_budget(database, "u1", None)
    assert await lookup.get("u1") is None and len(reads) == 3


async def test_reads_racing_budget_changes_never_keep_a_stale_override(
    database: Database,
) -> None:
    lookup, stop = SqlBudgetLookup(database), asyncio.Event()

    async def keep_reading() -> None:
        for _ in range(100_000):  # bounded; a cache hit does not yield, so yield explicitly
            if stop.is_set():
                return
            await lookup.get("u1")
            await asyncio.sleep(0)

    readers = [asyncio.create_task(keep_reading()) for _ in range(3)]
    try:
        for n in range(30):
            budget = TEN if n % 2 == 0 else None
            await set_budget(database, "u1", budget)
            assert await lookup.get("u1") == budget
    finally:
        stop.set()
        await asyncio.gather(*readers)
