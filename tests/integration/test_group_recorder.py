"""Group commit: concurrent generations share transactions, yet each caller returns only
once its own row is committed, and a bad row fails only its own caller."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

import adapters.duckdb.recorder as recorder_module
from adapters.duckdb.database import Database, open_database
from adapters.duckdb.recorder import UNNEST_FROM, DuckDBGroupRecorder
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.sql.executor import UniqueViolationError
from application.locks import KeyedLocks
from domain.generations import Generation, GenerationKind, GenerationStatus, Usage
from domain.media import MediaRef
from tests.integration.conftest import a_user, database  # noqa: F401 (fixture)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def a_generation(number: int, *, media: bool = False) -> Generation:
    gid = f"gen-{number:04d}"
    refs = (
        (
            MediaRef(
                id=f"{number:016x}",
                owner_id="u1",
                generation_id=gid,
                content_type="image/png",
                size_bytes=10,
                width=4,
                height=4,
                created_at=NOW,
            ),
        )
        if media
        else ()
    )
    return Generation(
        id=gid,
        user_id="u1",
        kind=GenerationKind.IMAGE if media else GenerationKind.TEXT,
        model="openai/gpt-4o",
        prompt=f"prompt {number}",
        status=GenerationStatus.SUCCEEDED,
        created_at=NOW,
        finished_at=NOW,
        text=f"answer {number}",
        usage=Usage(1, 2, 3, 0.5),
        media=refs,
    )


async def recorder_for(database: Database) -> DuckDBGroupRecorder:
    """A recorder over `database`, whose generations' user (u1) exists."""
    async with DuckDBUnitOfWork(database) as uow:
        await uow.users.add(a_user("u1"))
        await uow.commit()
    return DuckDBGroupRecorder(database, KeyedLocks())


async def rows(database: Database, table: str) -> int:
    return int((await database.read(f"SELECT count(*) FROM {table}"))[0][0])  # noqa: S608


async def test_concurrent_records_share_commits_and_every_row_is_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    write = recorder_module._write

    def counting(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> list[Generation]:
        batches.append(len(batch))
        return write(cursor, batch)

    monkeypatch.setattr(recorder_module, "_write", counting)
    database = open_database(tmp_path / "g.duckdb", 4)
    recorder = await recorder_for(database)
    await asyncio.gather(*(recorder.record(a_generation(i, media=i % 5 == 0)) for i in range(200)))
    assert sum(batches) == 200 and len(batches) < 200  # commits were shared
    database.close()
    reopened = open_database(tmp_path / "g.duckdb", 2)  # what a restart finds
    assert await rows(reopened, "generations") == 200
    assert await rows(reopened, "media") == 40
    stored = await reopened.read("SELECT text, total_tokens FROM generations WHERE id = 'gen-0007'")
    assert stored == [("answer 7", 3)]
    async with DuckDBUnitOfWork(reopened) as uow:  # rows of a large (UNNEST) batch read back whole
        assert await uow.generations.get("gen-0150") == a_generation(150, media=True)
        assert await uow.generations.get("gen-0151") == a_generation(151)
    assert max(batches) >= UNNEST_FROM
    reopened.close()


async def test_a_row_that_cannot_be_written_fails_only_its_own_caller(
    database: Database,
) -> None:
    recorder = await recorder_for(database)
    await recorder.record(a_generation(1))
    outcomes = await asyncio.gather(
        recorder.record(a_generation(2)),
        recorder.record(a_generation(1)),  # a duplicate id
        recorder.record(a_generation(3)),
        return_exceptions=True,
    )
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], UniqueViolationError)  # the duplicate id, and only it
    assert await rows(database, "generations") == 3


async def test_a_caller_that_goes_away_does_not_lose_the_others_rows(
    database: Database,
) -> None:
    recorder = await recorder_for(database)
    first = asyncio.create_task(recorder.record(a_generation(1)))
    others = [asyncio.create_task(recorder.record(a_generation(i))) for i in range(2, 6)]
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.gather(*others)
    with pytest.raises(asyncio.CancelledError):
        await first
    await recorder.record(a_generation(6))  # written after everything queued before it
    assert await rows(database, "generations") == 6  # the cancelled caller's row too
