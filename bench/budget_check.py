"""What a budget check adds to a generation: reserve + settle on a real DuckDB file, timed
one call at a time (the latency a request pays) and with many users at once (throughput
under the per-user owner lock). Prints figures; asserts nothing.

    PYTHONPATH=. .venv/bin/python bench/budget_check.py [--calls 2000] [--users 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from adapters.duckdb.database import Database, open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.system import SystemClock, UuidGenerator
from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.reserve_spend import SpendGuard
from application.locks import KeyedLocks
from domain.budgets import Budget, BudgetPeriod

ESTIMATE = Decimal("0.0004")
COST = 0.00014


def guard(database: Database, locks: KeyedLocks) -> SpendGuard:
    defaults = BudgetDefaults(Budget(Decimal(1_000_000), BudgetPeriod.MONTH))
    ledger = SpendLedger(DuckDBUnitOfWork(database), locks, defaults)
    return SpendGuard(ledger, SystemClock(), UuidGenerator())


async def seed(database: Database, users: int) -> None:
    await database.read(
        "INSERT INTO users SELECT 'u' || i, 'u' || i || '@example.com', 'user', 'x', "
        "TIMESTAMP '2026-01-01' FROM range(0, ?) t(i)",
        [users],
    )


async def one_call(database: Database, locks: KeyedLocks, user: str) -> float:
    started = time.perf_counter()
    async with guard(database, locks).hold(user, ESTIMATE) as hold:
        await hold.settle(COST)
    return time.perf_counter() - started


def show(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"{label:<38} n={len(ms):>5}  p50={statistics.median(ms):6.2f} ms  "
        f"p99={p99:6.2f} ms  max={ms[-1]:6.2f} ms"
    )


async def main(calls: int, users: int, rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.duckdb", 8)
        locks = KeyedLocks()
        try:
            await seed(database, users)
            if rows:  # an older ledger to sum over: the user's rows of the month and others
                await database.read(
                    "INSERT INTO spend SELECT 'old' || i, 'u' || (i % ?), 0.0001, 'settled', "
                    "now()::TIMESTAMP - INTERVAL (i % 2000000) SECOND, NULL, NULL "
                    "FROM range(0, ?) t(i)",
                    [users, rows],
                )
            for _ in range(50):  # warm up
                await one_call(database, locks, "u0")
            show(
                "sequential, one user (latency)",
                [await one_call(database, locks, "u0") for _ in range(calls)],
            )
            started = time.perf_counter()
            timings = await asyncio.gather(
                *(one_call(database, locks, f"u{i % users}") for i in range(calls))
            )
            elapsed = time.perf_counter() - started
            show(f"{users} users at once", list(timings))
            print(f"{'':<38} throughput {calls / elapsed:,.0f} reserve+settle/s")
            started = time.perf_counter()
            timings = await asyncio.gather(
                *(one_call(database, locks, "u0") for _ in range(calls // 4))
            )
            elapsed = time.perf_counter() - started
            show("one user, all at once (lock queue)", list(timings))
            print(f"{'':<38} throughput {calls // 4 / elapsed:,.0f} reserve+settle/s")
        finally:
            database.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--ledger-rows",
        type=int,
        default=100_000,
        help="older spend rows to seed (the sums read them)",
    )
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.users, args.ledger_rows))
