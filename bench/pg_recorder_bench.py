"""Group commit against one transaction per generation on PostgreSQL: generations recorded
per second by many concurrent callers, on a throwaway cluster with durable commits (fsync on,
synchronous_commit on: PostgreSQL's defaults). Prints figures; asserts nothing.

    .venv/bin/python -m bench.pg_recorder_bench [--callers 64] [--each 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

import psycopg

from adapters.postgres.database import open_pg_database
from adapters.postgres.recorder import PgGroupRecorder
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.locks import KeyedLocks
from domain.generations import Generation, GenerationKind, GenerationStatus, Usage
from domain.users import Role, User
from tests.postgres import start_cluster, stop_cluster

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def generation(number: int, user: str) -> Generation:
    return Generation(
        id=f"g{number}",
        user_id=user,
        kind=GenerationKind.TEXT,
        model="openai/gpt-4o",
        prompt="a prompt of a usual length " * 4,
        status=GenerationStatus.SUCCEEDED,
        created_at=NOW,
        finished_at=NOW,
        text="an answer of a usual length " * 20,
        usage=Usage(20, 200, 220, 0.001),
    )


async def run(url: str, max_batch: int, callers: int, each: int, start: int) -> float:
    database = open_pg_database(url, min_size=4, max_size=16)
    async with PgUnitOfWork(database) as uow:
        for n in range(callers):
            if await uow.users.get(f"u{n}") is None:
                await uow.users.add(User(f"u{n}", f"u{n}@example.com", Role.USER, "x$0", NOW))
        await uow.commit()
    recorder = PgGroupRecorder(database, KeyedLocks(), max_batch=max_batch)

    async def caller(n: int) -> None:
        for i in range(each):  # one after another, as a user's requests
            await recorder.record(generation(start + n * each + i, f"u{n}"))

    began = time.perf_counter()
    await asyncio.gather(*(caller(n) for n in range(callers)))
    elapsed = time.perf_counter() - began
    await database.close()
    return callers * each / elapsed


async def main(callers: int, each: int, rounds: int) -> None:
    server = start_cluster(durable=True)
    try:
        with server.admin() as admin:
            admin.execute("CREATE DATABASE bench")
        url = server.url("bench")
        figures: dict[int, list[float]] = {256: [], 1: []}
        offset = 0
        for _ in range(rounds):
            for max_batch in figures:
                offset += callers * each
                figures[max_batch].append(await run(url, max_batch, callers, each, offset))
        with psycopg.connect(url) as connection:
            stored = connection.execute("SELECT count(*) FROM generations").fetchone()
        for max_batch, rates in figures.items():
            mode = "group commit (batches up to 256)" if max_batch > 1 else "one per transaction"
            print(
                f"{mode:34s} median {statistics.median(rates):7.0f} generations/s "
                f"(rounds: {', '.join(f'{r:.0f}' for r in rates)})"
            )
        print(f"{callers} concurrent callers x {each} each per round; {stored} rows written")
    finally:
        stop_cluster(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callers", type=int, default=64)
    parser.add_argument("--each", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.callers, args.each, args.rounds))
