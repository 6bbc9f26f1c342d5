"""The VideoJobRepository contract, on the fake, DuckDB and PostgreSQL: a job is its
generation row too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.postgres.database import open_pg_database
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.ports.system import UnitOfWork
from domain.generations import GenerationKind, GenerationStatus
from domain.media import MediaRef
from domain.video_jobs import VideoJob, VideoStatus, VideoTiming, new_job
from domain.video_options import VideoOptions
from tests.fakes import FakeUnitOfWork
from tests.integration.conftest import NOW, a_user, query

TIMING = VideoTiming()
U = TypeVar("U", DuckDBUnitOfWork, PgUnitOfWork)


@pytest.fixture(params=["fake", "duckdb", "postgresql"])
async def uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWork]:
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    if request.param == "postgresql":
        pg = open_pg_database(request.getfixturevalue("pg_url"), min_size=1, max_size=4)
        try:
            yield await with_owners(PgUnitOfWork(pg))
        finally:
            await pg.close()
        return
    database = open_database(tmp_path / "t.duckdb", 4)
    try:
        yield await with_owners(DuckDBUnitOfWork(database))
    finally:
        database.close()


async def with_owners(uow: U) -> U:
    """The users the jobs belong to: DuckDB refuses a job whose user does not exist."""
    async with uow:
        for user in ("u1", "u2"):
            await uow.users.add(a_user(user, f"{user}@example.com"))
        await uow.commit()
    return uow


def a_job(job_id: str = "j1", user: str = "u1", at: timedelta = timedelta()) -> VideoJob:
    options = VideoOptions(duration=4, resolution="720p", generate_audio=False, seed=7)
    return new_job(
        job_id=job_id,
        user_id=user,
        model="google/veo-3.1-lite",
        prompt="a fox",
        options=options,
        image_source="https://images.example.com/fox.png",
        now=NOW + at,
        timing=TIMING,
    )


def a_video(job: VideoJob) -> MediaRef:
    return MediaRef(f"m-{job.id}", job.user_id, job.id, "video/mp4", 1234, None, None, NOW)


async def stored(uow: UnitOfWork, *jobs: VideoJob) -> None:
    async with uow:
        for job in jobs:
            await uow.video_jobs.add(job)
        await uow.commit()


async def saved(uow: UnitOfWork, job: VideoJob) -> None:
    async with uow:
        await uow.video_jobs.save(job)
        await uow.commit()


async def read(uow: UnitOfWork, job_id: str) -> VideoJob | None:
    async with uow:
        return await uow.video_jobs.get(job_id)


async def test_a_job_reads_back_whole_and_is_a_queued_video_generation(uow: UnitOfWork) -> None:
    job = a_job()
    await stored(uow, job)
    assert await read(uow, "j1") == job
    async with uow:
        record = await uow.generations.get("j1")
    assert record is not None
    assert (record.kind, record.status, record.user_id) == (
        GenerationKind.VIDEO,
        GenerationStatus.QUEUED,
        "u1",
    )


async def test_saving_moves_the_job_and_its_generation_together(uow: UnitOfWork) -> None:
    job = a_job()
    await stored(uow, job)
    sent = job.submitted("up-1", "https://openrouter.test/api/v1/videos/up-1", NOW, TIMING)
    await saved(uow, sent.observed(VideoStatus.IN_PROGRESS, NOW, TIMING).poll_failed(NOW, TIMING))
    working = await read(uow, "j1")
    assert working is not None and working.status is VideoStatus.IN_PROGRESS
    assert (working.upstream_id, working.polls, working.failures) == ("up-1", 2, 1)
    done = working.completed(a_video(job), 0.5, NOW + timedelta(seconds=42))
    await saved(uow, done)
    assert await read(uow, "j1") == done
    async with uow:
        record = await uow.generations.get("j1")
        media = await uow.generations.media("m-j1")
    assert record is not None and record.status is GenerationStatus.COMPLETED
    assert record.media == (a_video(job),) and media == a_video(job)
    assert (record.usage.cost, record.duration_ms, record.upstream_id) == (0.5, 42_000, "up-1")


async def test_a_save_without_commit_is_rolled_back(uow: UnitOfWork) -> None:
    job = a_job()
    await stored(uow, job)
    async with uow:
        await uow.video_jobs.save(job.failed("nope", "upstream_unavailable", NOW))
    assert await read(uow, "j1") == job


async def test_due_jobs_are_the_unfinished_ones_whose_poll_time_came(uow: UnitOfWork) -> None:
    first, second, later = (
        a_job("j1"),
        a_job("j2", at=timedelta(seconds=1)),
        a_job("j3", at=timedelta(hours=1)),
    )
    finished = a_job("j4").failed("gone", "upstream_unavailable", NOW)
    await stored(uow, first, second, later, a_job("j4"))
    await saved(uow, finished)
    when = NOW + TIMING.submit_grace + timedelta(seconds=1)
    async with uow:
        due = await uow.video_jobs.due(when, 10)
        assert [job.id for job in due] == ["j1", "j2"]
        assert [job.id for job in await uow.video_jobs.due(when, 1)] == ["j1"]
        await uow.commit()
    assert due[0] == first


async def test_a_deleted_generation_takes_its_job_with_it(uow: UnitOfWork) -> None:
    await stored(uow, a_job("j1"), a_job("j2", user="u2"))
    async with uow:
        await uow.generations.delete("j1")
        await uow.generations.delete_for_user("u2")
        await uow.commit()
    assert await read(uow, "j1") is None and await read(uow, "j2") is None
    async with uow:
        assert await uow.video_jobs.due(NOW + timedelta(days=1), 10) == []
        await uow.commit()


async def test_no_job_row_outlives_its_generation_in_duckdb(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.duckdb", 2)
    uow = await with_owners(DuckDBUnitOfWork(database))
    try:
        await stored(uow, a_job("j1"), a_job("j2", user="u2"), a_job("j3"), a_job("j4"))
        async with uow:
            await uow.generations.delete("j1")  # a history deletion
            await uow.generations.delete_for_user("u2")  # a user deletion
            await uow.commit()
        await database.read("DELETE FROM generations WHERE id = 'j4'")  # behind our back
        async with uow:
            assert await uow.video_jobs.due(NOW + timedelta(days=1), 10) == [a_job("j3")]
            await uow.commit()  # the pass that met the orphan deleted it
    finally:
        database.close()
    assert query(tmp_path / "t.duckdb", "SELECT id FROM video_jobs") == [("j3",)]
