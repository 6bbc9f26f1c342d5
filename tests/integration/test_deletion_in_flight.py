"""A user deleted while a generation of theirs is in flight: nothing of theirs is written
after the deletion commits (no generation row, no media row or file, no audit residue),
and only their request fails. Real adapters (DuckDB, then PostgreSQL) and media store; the
gateways are fakes that wait on events, so the deletion lands exactly mid-flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from application.errors import OwnerDeletedError
from application.ports.generation import ImageRequest, ImageResult, TextRequest, TextResult
from domain.generations import Generation, GenerationKind, GenerationStatus
from domain.users import Role
from domain.video_jobs import VideoStatus
from domain.video_options import VideoOptions
from entrypoints import resources
from entrypoints.container import Container
from tests.api.conftest import make_settings
from tests.fake_gateway import COMPLETED, VEO, FakeAIGateway, FakeVideoGateway
from tests.fakes import FakeClock
from tests.integration.conftest import a_user
from tests.integration.engines import ENGINES

PROMPT = "A red fox runs through snow"
TEXT = "openai/gpt-4o"


class HeldAIGateway(FakeAIGateway):
    """Answers like the fake, once `release` is set; `entered` says a call is waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.release = asyncio.Event(), asyncio.Event()

    async def _hold(self) -> None:
        self.entered.set()
        await self.release.wait()

    async def complete_text(self, request: TextRequest) -> TextResult:
        await self._hold()
        return await super().complete_text(request)

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        await self._hold()
        return await super().generate_image(request)


class HeldVideoGateway(FakeVideoGateway):
    def __init__(self) -> None:
        super().__init__()
        self.polls = [COMPLETED]
        self.entered, self.release = asyncio.Event(), asyncio.Event()

    async def download_video(self, upstream_id: str, content_urls: tuple[str, ...]) -> bytes:
        self.entered.set()
        await self.release.wait()
        return await super().download_video(upstream_id, content_urls)


class Platform:
    def __init__(
        self, container: Container, ai: HeldAIGateway, video: HeldVideoGateway, clock: FakeClock
    ) -> None:
        self.container, self.ai, self.video, self.clock = container, ai, video, clock
        self.database = container.database()

    async def add_user(self, user_id: str, role: Role = Role.USER) -> str:
        async with self.container.uow() as uow:
            await uow.users.add(a_user(user_id, f"{user_id}@example.com", role))
            await uow.commit()
        return user_id

    async def delete(self, user_id: str) -> None:
        await self.container.delete_user().execute(actor_id="root", user_id=user_id)

    async def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return await self.database.read(sql, params)

    async def nothing_left_of(self, user_id: str) -> None:
        for sql in (
            "SELECT count(*) FROM generations WHERE user_id = ?",
            "SELECT count(*) FROM video_jobs WHERE user_id = ?",
            "SELECT count(*) FROM media WHERE owner_id = ?",
            "SELECT count(*) FROM refresh_tokens WHERE user_id = ?",
            "SELECT count(*) FROM audit_events WHERE actor_id = ?",
            "SELECT count(*) FROM users WHERE id = ?",
        ):
            assert await self.rows(sql, [user_id]) == [(0,)], sql
        # the deletion's own audit event is the only one about them
        about = await self.rows("SELECT action FROM audit_events WHERE target_id = ?", [user_id])
        assert about == [("user_deleted",)]
        files = [p for p in self.container.settings().media_dir.rglob("*") if p.is_file()]
        owned = await self.rows("SELECT id FROM media")
        assert len(files) == len(owned)  # no file without its row
        counted = await self.rows(
            "SELECT kind, status, count(*) FROM generations GROUP BY kind, status"
        )
        assert self.database.generation_counts.snapshot() == sorted(counted)


@pytest.fixture(params=ENGINES)
async def platform(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Platform]:
    """The real adapters on DuckDB, then on PostgreSQL; the gateways are held fakes."""
    engine = (
        {} if request.param == "duckdb" else {"database_url": request.getfixturevalue("pg_url")}
    )
    container = Container(settings=make_settings(tmp_path, **engine))
    ai, video = HeldAIGateway(), HeldVideoGateway()
    container.gateway.override(providers.Object(ai))
    container.video_gateway.override(providers.Object(video))
    clock = FakeClock(datetime.now(UTC))
    container.clock.override(providers.Object(clock))
    container.init_resources()
    try:
        platform = Platform(container, ai, video, clock)
        await platform.add_user("root", Role.ADMIN)
        yield platform
    finally:
        await resources.close_pool(container.database())
        container.shutdown_resources()


async def test_an_image_in_flight_when_its_user_is_deleted_leaves_nothing(
    platform: Platform,
) -> None:
    victim = await platform.add_user("victim")
    task = asyncio.create_task(
        platform.container.generate_image().execute(
            user_id=victim, model="google/gemini-2.5-flash-image", prompt=PROMPT
        )
    )
    await platform.ai.entered.wait()
    await platform.delete(victim)
    platform.ai.release.set()
    with pytest.raises(OwnerDeletedError):
        await task
    await platform.nothing_left_of(victim)
    assert await platform.rows("SELECT count(*) FROM media") == [(0,)]


async def test_only_the_deleted_users_text_fails_the_others_are_kept(
    platform: Platform,
) -> None:
    victim, bystander = await platform.add_user("victim"), await platform.add_user("bystander")
    generate = platform.container.generate_text
    tasks = [
        asyncio.create_task(generate().execute(user_id=user, model=TEXT, prompt=PROMPT))
        for user in (victim, bystander, victim)
    ]
    await platform.ai.entered.wait()
    await platform.delete(victim)
    platform.ai.release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert isinstance(outcomes[0], OwnerDeletedError) and isinstance(outcomes[2], OwnerDeletedError)
    assert not isinstance(outcomes[1], BaseException)
    kept = await platform.rows("SELECT user_id, status FROM generations")
    assert kept == [(bystander, "succeeded")]
    await platform.nothing_left_of(victim)


async def test_a_refused_row_in_a_shared_batch_fails_only_its_caller(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    recorder = platform.container.recorder()  # the engine's own
    write = recorder._write_batch

    async def counting(batch: list[Generation]) -> list[Generation]:
        batches.append(len(batch))
        return await write(batch)

    monkeypatch.setattr(recorder, "_write_batch", counting)
    await platform.add_user("alive")
    generations = [_generation(f"g{i}", "alive" if i % 2 else "gone") for i in range(6)]
    outcomes = await asyncio.gather(
        *(recorder.record(g) for g in generations), return_exceptions=True
    )
    assert batches == [6]  # one transaction for all six
    assert [type(o).__name__ for o in outcomes] == ["OwnerDeletedError", "NoneType"] * 3
    assert await platform.rows("SELECT id FROM generations ORDER BY id") == [
        ("g1",),
        ("g3",),
        ("g5",),
    ]
    assert platform.database.generation_counts.snapshot() == [("text", "succeeded", 3)]


async def test_a_video_downloading_when_its_user_is_deleted_leaves_nothing(
    platform: Platform,
) -> None:
    victim = await platform.add_user("victim")
    job = await platform.container.submit_video().execute(
        user_id=victim, model=VEO, prompt=PROMPT, options=VideoOptions()
    )
    assert job.status is VideoStatus.QUEUED
    platform.clock.advance(seconds=60)
    follower = asyncio.create_task(platform.container.advance_video_jobs().execute())
    await platform.video.entered.wait()
    await platform.delete(victim)
    platform.video.release.set()
    assert await follower == 1
    await platform.nothing_left_of(victim)
    assert await platform.rows("SELECT count(*) FROM media") == [(0,)]


async def test_a_video_of_a_deleted_user_is_neither_stored_nor_sent(platform: Platform) -> None:
    victim = await platform.add_user("victim")
    await platform.delete(victim)  # after their request was authenticated
    with pytest.raises(OwnerDeletedError):
        await platform.container.submit_video().execute(
            user_id=victim, model=VEO, prompt=PROMPT, options=VideoOptions()
        )
    assert platform.video.submitted == []
    await platform.nothing_left_of(victim)


def _generation(generation_id: str, user_id: str) -> Generation:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    return Generation(
        id=generation_id,
        user_id=user_id,
        kind=GenerationKind.TEXT,
        model=TEXT,
        prompt="p",
        status=GenerationStatus.SUCCEEDED,
        created_at=now,
        finished_at=now,
        text="t",
    )
