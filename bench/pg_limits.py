"""What the cross-process limits cost: one lock hold, one throttle check (reserve + succeed)
and one generation slot (acquire + free), in memory (DuckDB's one process) and in
PostgreSQL (a throwaway local cluster, as the tests start), timed one at a time (the
latency a request pays) and 50 at once over 50 users (throughput). Prints figures; asserts
nothing.

    PYTHONPATH=. .venv/bin/python bench/pg_limits.py [--ops 2000] [--durable]

--durable: fsync and synchronous commits on (as a real server), else the tests' throwaway
settings.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import psycopg

from adapters.postgres.database import PgDatabase
from adapters.postgres.limiter import PgGenerationLimiter
from adapters.postgres.locks import PgAdvisoryLocks
from adapters.postgres.migrate import migrate
from adapters.postgres.throttle import PgLoginThrottle
from adapters.security.throttle import InMemoryLoginThrottle
from adapters.system import SystemClock
from application.budget.limit_generations import GenerationLimits, InMemoryGenerationLimiter
from application.locks import KeyedLocks
from application.ports.auth import LoginThrottle, ThrottleSlot
from application.ports.budget import GenerationLimiter
from application.ports.system import Locks
from tests.postgres import start_cluster, stop_cluster

Op = Callable[[int], Awaitable[None]]
LIMITS = GenerationLimits(per_minute=10**9, max_concurrent=10**6)
THROTTLE = {"account": 10**6, "client": 10**6}


def hold(locks: Locks) -> Op:
    async def op(n: int) -> None:
        async with locks.hold(f"owner:u{n % 50}"):
            pass

    return op


def check(throttle: LoginThrottle) -> Op:
    async def op(n: int) -> None:
        now = datetime.now(UTC)
        slot = await throttle.reserve(
            account=f"u{n % 50}@x.org", client=f"10.0.{n % 50}.1", now=now
        )
        assert isinstance(slot, ThrottleSlot)
        await throttle.succeed(slot, now)

    return op


def slot(limiter: GenerationLimiter) -> Op:
    async def op(n: int) -> None:
        await limiter.acquire(f"u{n % 50}")
        await limiter.free(f"u{n % 50}")

    return op


async def timed(op: Op, ops: int, parallel: int) -> tuple[float, float]:
    """(median latency in ms one at a time, operations per second 50 at once)."""
    latencies = []
    for n in range(min(ops, 500)):
        started = time.perf_counter()
        await op(n)
        latencies.append(time.perf_counter() - started)
    queue = iter(range(ops))

    async def worker() -> None:
        for n in queue:
            await op(n)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(parallel)))
    return statistics.median(latencies) * 1000, ops / (time.perf_counter() - started)


async def run(url: str, ops: int) -> None:
    database = PgDatabase(url, max_size=20)
    await database.open()
    locks = PgAdvisoryLocks(url)
    lapse = timedelta(minutes=30)
    arms = {
        "lock hold": (hold(KeyedLocks()), hold(locks)),
        "throttle check": (
            check(InMemoryLoginThrottle(limits=THROTTLE, window_s=900)),
            check(PgLoginThrottle(database, limits=THROTTLE, window_s=900)),
        ),
        "generation slot": (
            slot(InMemoryGenerationLimiter(LIMITS, SystemClock())),
            slot(
                PgGenerationLimiter(
                    database, LIMITS, SystemClock(), slot_lapse=lapse, job_lapse=lapse
                )
            ),
        ),
    }
    print(f"{'operation':<16} {'memory ms':>10} {'memory /s':>10} {'pg ms':>8} {'pg /s':>8}")
    for name, (memory, postgres) in arms.items():
        m_ms, m_rate = await timed(memory, ops, 50)
        p_ms, p_rate = await timed(postgres, ops, 50)
        print(f"{name:<16} {m_ms:>10.3f} {m_rate:>10.0f} {p_ms:>8.2f} {p_rate:>8.0f}")
    await locks.close()
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--durable", action="store_true")
    args = parser.parse_args()
    server = start_cluster(durable=args.durable)
    try:
        with server.admin() as admin:
            admin.execute(b"CREATE DATABASE bench")
        with psycopg.connect(server.url("bench"), autocommit=True) as connection:
            migrate(connection)
        asyncio.run(run(server.url("bench"), args.ops))
    finally:
        stop_cluster(server)


if __name__ == "__main__":
    main()
