"""The ports that several API processes rely on, on the fake, DuckDB and PostgreSQL: video
job leases (`claim`, `renew`) and the locked read of a refresh token (`get_for_update`).

DuckDB is written by one process, so its claim is the plain `due` (nobody to exclude): the
exclusion assertions name what each engine does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.postgres.database import open_pg_database
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.errors import ConflictError
from application.ports.system import UnitOfWork
from application.ports.video import Lease
from domain.video_jobs import VideoJob
from tests.fakes import FakeUnitOfWork
from tests.integration.conftest import NOW, a_token, a_user
from tests.integration.test_video_jobs_store import TIMING, a_job, stored

DUE = NOW + TIMING.submit_grace + timedelta(seconds=1)
LEASE = timedelta(seconds=30)


@pytest.fixture(params=["fake", "duckdb", "postgresql"])
async def uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWork]:
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    if request.param == "duckdb":
        database = open_database(tmp_path / "t.duckdb", 4)
        try:
            yield await with_owner(DuckDBUnitOfWork(database))
        finally:
            database.close()
        return
    pg = open_pg_database(request.getfixturevalue("pg_url"), min_size=1, max_size=4)
    try:
        yield await with_owner(PgUnitOfWork(pg))
    finally:
        await pg.close()


async def with_owner(uow: UnitOfWork) -> UnitOfWork:
    async with uow:
        await uow.users.add(a_user())
        await uow.commit()
    return uow


def shares(uow: UnitOfWork) -> bool:
    """Whether other processes write this store (then a lease excludes them)."""
    return not isinstance(uow, DuckDBUnitOfWork)


async def claim(uow: UnitOfWork, owner: str, at: timedelta = timedelta()) -> list[str]:
    async with uow:
        jobs: list[VideoJob] = await uow.video_jobs.claim(
            DUE + at, 10, Lease(owner, DUE + at + LEASE)
        )
        await uow.commit()
    return [job.id for job in jobs]


async def test_a_claim_is_the_due_jobs_and_its_owner_claims_them_again(uow: UnitOfWork) -> None:
    await stored(uow, a_job("j1"), a_job("j2", at=timedelta(seconds=1)), a_job("j3", at=LEASE * 9))
    assert await claim(uow, "a") == ["j1", "j2"]
    assert await claim(uow, "a", at=timedelta(seconds=5)) == ["j1", "j2"]


async def test_another_owner_gets_them_only_once_the_lease_lapsed(uow: UnitOfWork) -> None:
    await stored(uow, a_job("j1"))
    assert await claim(uow, "a") == ["j1"]
    during = await claim(uow, "b", at=LEASE - timedelta(seconds=1))
    assert during == ([] if shares(uow) else ["j1"])
    assert await claim(uow, "b", at=LEASE * 3) == ["j1"]  # (b's own lease now runs)
    assert await claim(uow, "a", at=LEASE * 3 + timedelta(seconds=1)) == (
        [] if shares(uow) else ["j1"]
    )


async def test_a_renewal_extends_the_holders_lease_only(uow: UnitOfWork) -> None:
    await stored(uow, a_job("j1"))
    assert await claim(uow, "a") == ["j1"]
    async with uow:
        await uow.video_jobs.renew(["j1"], Lease("b", DUE + LEASE * 9))  # not b's: no effect
        await uow.video_jobs.renew(["j1"], Lease("a", DUE + LEASE * 2))
        await uow.commit()
    past_first = await claim(uow, "b", at=LEASE + timedelta(seconds=1))
    assert past_first == ([] if shares(uow) else ["j1"])
    assert await claim(uow, "b", at=LEASE * 2 + timedelta(seconds=1)) == ["j1"]


async def test_get_for_update_reads_the_token_as_get_does(uow: UnitOfWork) -> None:
    async with uow:
        await uow.refresh_tokens.add(a_token("t1"))
        await uow.commit()
    async with uow:
        assert await uow.refresh_tokens.get_for_update("t1") == a_token("t1")
        assert await uow.refresh_tokens.get_for_update("nope") is None


async def test_on_postgresql_a_second_rotation_waits_for_the_first_then_conflicts(
    pg_url: str,
) -> None:
    pg = open_pg_database(pg_url, min_size=2, max_size=4)
    first, second = PgUnitOfWork(pg), PgUnitOfWork(pg)
    try:
        await with_owner(first)
        async with first:
            await first.refresh_tokens.add(a_token("t1"))
            await first.commit()
        async with first:
            assert await first.refresh_tokens.get_for_update("t1") is not None

            async def rival() -> None:
                async with second:
                    await second.refresh_tokens.get_for_update("t1")

            waiting = asyncio.create_task(rival())
            await until_a_session_waits_for_a_lock(pg_url)
            assert not waiting.done()
            assert await first.refresh_tokens.retire("t1", "t2")
            await first.commit()
        with pytest.raises(ConflictError):  # its snapshot predates the rotation: retried
            await waiting
    finally:
        await pg.close()


async def until_a_session_waits_for_a_lock(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as watcher:
        for _ in range(500):
            cursor = await watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            )
            row = await cursor.fetchone()
            if row is not None and row[0] > 0:
                return
            await asyncio.sleep(0.01)
    raise AssertionError("no session ever waited for the row lock")


async def test_a_released_lease_frees_the_job_at_once(uow: UnitOfWork) -> None:
    await stored(uow, a_job("j1"))
    assert await claim(uow, "a") == ["j1"]
    async with uow:
        await uow.video_jobs.release("b")  # someone else's: nothing changes
        await uow.commit()
    assert await claim(uow, "b", at=timedelta(seconds=1)) == ([] if shares(uow) else ["j1"])
    async with uow:
        await uow.video_jobs.release("a")  # a stops cleanly
        await uow.commit()
    assert await claim(uow, "b", at=timedelta(seconds=2)) == ["j1"]
