"""PostgreSQL's group commit: concurrent generations share transactions, each caller returns
once its own row is committed, one bad row fails only its caller, and a generation of a
deleted user is refused (the same rules as DuckDB's, tests/integration/test_group_recorder.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.postgres.database import PgDatabase, open_pg_database
from adapters.postgres.recorder import PgGroupRecorder
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.sql.executor import UniqueViolationError
from application.errors import OwnerDeletedError
from application.locks import KeyedLocks
from domain.generations import Generation
from tests.integration.conftest import a_user
from tests.integration.test_group_recorder import a_generation


class CountingRecorder(PgGroupRecorder):
    """Remembers the size of every batch it wrote."""

    def __init__(self, database: PgDatabase) -> None:
        super().__init__(database, KeyedLocks())
        self.batches: list[int] = []

    async def _write_batch(self, batch: list[Generation]) -> list[Generation]:
        self.batches.append(len(batch))
        return await super()._write_batch(batch)


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[PgDatabase]:
    database = open_pg_database(pg_url, min_size=1, max_size=4)
    async with PgUnitOfWork(database) as uow:
        await uow.users.add(a_user("u1"))
        await uow.commit()
    yield database
    await database.close()


async def rows(database: PgDatabase, table: str) -> int:
    return int((await database.read(f"SELECT count(*) FROM {table}"))[0][0])  # noqa: S608


async def test_concurrent_records_share_commits_and_read_back_whole(pg: PgDatabase) -> None:
    recorder = CountingRecorder(pg)
    await asyncio.gather(*(recorder.record(a_generation(i, media=i % 5 == 0)) for i in range(200)))
    assert sum(recorder.batches) == 200 and len(recorder.batches) < 200  # commits were shared
    assert await rows(pg, "generations") == 200
    assert await rows(pg, "media") == 40
    assert await rows(pg, "spend") == 200  # u1 has no budget row: each cost is settled
    async with PgUnitOfWork(pg) as uow:
        assert await uow.generations.get("gen-0150") == a_generation(150, media=True)
        assert await uow.generations.get("gen-0151") == a_generation(151)
    assert pg.generation_counts.snapshot() == [
        ("image", "succeeded", 40),
        ("text", "succeeded", 160),
    ]


async def test_a_row_that_cannot_be_written_fails_only_its_own_caller(pg: PgDatabase) -> None:
    recorder = PgGroupRecorder(pg, KeyedLocks())
    await recorder.record(a_generation(1))
    outcomes = await asyncio.gather(
        recorder.record(a_generation(2)),
        recorder.record(a_generation(1)),  # a duplicate id
        recorder.record(a_generation(3)),
        return_exceptions=True,
    )
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], UniqueViolationError)  # the duplicate id, and only it
    assert await rows(pg, "generations") == 3


async def test_a_generation_of_a_deleted_user_is_refused_alone(pg: PgDatabase) -> None:
    recorder = CountingRecorder(pg)
    gone = replace(a_generation(2), user_id="gone")
    outcomes = await asyncio.gather(
        recorder.record(a_generation(1)), recorder.record(gone), return_exceptions=True
    )
    assert outcomes[0] is None and isinstance(outcomes[1], OwnerDeletedError)
    assert recorder.batches == [2]  # one transaction: the refused row failed only its caller
    assert await pg.read("SELECT id FROM generations") == [("gen-0001",)]
