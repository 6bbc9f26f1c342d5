"""The video follower on fakes: a submitted job is polled to completed, postponed on passing
errors, failed with a short reason, and its video downloaded (or not) and stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import (
    UpstreamRejectedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from application.ports.video import VideoPoll
from domain.video_jobs import VideoStatus
from tests.fake_gateway import COMPLETED, MP4
from tests.unit.application.video_steps import follow, submitted
from tests.unit.world import World


async def test_the_follower_moves_a_job_to_completed_and_stores_the_video(world: World) -> None:
    job = await submitted(world)
    await world.advance_video_jobs().execute()  # not due yet
    assert world.uow.video_jobs.rows[job.id].status is VideoStatus.QUEUED
    world.clock.advance(seconds=5)
    assert await world.advance_video_jobs().execute() == 1
    assert world.uow.video_jobs.rows[job.id].status is VideoStatus.IN_PROGRESS
    done = await follow(world, passes=1)
    assert done.status is VideoStatus.COMPLETED and done.video is not None and done.cost == 0.4
    assert world.media.files[done.video.id] == MP4 and done.video.content_type == "video/mp4"
    assert world.uow.generations.rows[job.id].media == (done.video,)
    assert await world.advance_video_jobs().execute() == 0  # finished jobs are never due


async def test_passing_poll_errors_postpone_the_job_with_backoff(world: World) -> None:
    busy = UpstreamUnavailableError("busy", reason="rate_limited")
    world.video_gateway.polls = [busy, UpstreamTimeoutError(), VideoPoll("pending"), COMPLETED]
    job = await submitted(world)
    world.clock.advance(seconds=5)
    await world.advance_video_jobs().execute()
    first = world.uow.video_jobs.rows[job.id]
    assert (first.status, first.failures) == (VideoStatus.QUEUED, 1)
    assert first.next_poll_at == world.clock.now() + timedelta(seconds=10)
    world.clock.advance(seconds=10)
    await world.advance_video_jobs().execute()
    assert world.uow.video_jobs.rows[job.id].next_poll_at == world.clock.now() + timedelta(
        seconds=20
    )
    assert (await follow(world, passes=2)).status is VideoStatus.COMPLETED


@pytest.mark.parametrize(
    ("poll", "reason", "code"),
    [
        (
            VideoPoll("failed", error="Content policy violation"),
            "The provider could not make this video: Content policy violation.",
            "upstream_rejected",
        ),
        (
            VideoPoll("cancelled", error="Job was cancelled"),
            "The provider cancelled it: Job was cancelled.",
            "upstream_unavailable",
        ),
        (
            VideoPoll("expired", error="Job exceeded maximum time to live"),
            "It expired at the provider before it finished: Job exceeded maximum time to live.",
            "upstream_timeout",
        ),
        (
            UpstreamUnavailableError(
                "OpenRouter no longer knows this video job.", reason="bad_request"
            ),
            "OpenRouter no longer knows this video job.",
            "upstream_unavailable",
        ),
        (UpstreamRejectedError(), UpstreamRejectedError.default_detail, "upstream_rejected"),
    ],
)
async def test_terminal_outcomes_fail_the_job_with_a_short_reason(
    world: World, poll: VideoPoll | Exception, reason: str, code: str
) -> None:
    world.video_gateway.polls = [poll]  # type: ignore[list-item]
    job = await submitted(world)
    failed = await follow(world, passes=1)
    assert (failed.status, failed.error, failed.error_code) == (VideoStatus.FAILED, reason, code)
    assert world.uow.generations.rows[job.id].status.value == "failed"


async def test_a_job_past_its_deadline_is_failed(world: World) -> None:
    world.video_gateway.polls = [VideoPoll("in_progress")]
    await submitted(world)
    world.clock.advance(minutes=31)
    await world.advance_video_jobs().execute()
    [job] = world.uow.video_jobs.rows.values()
    assert (job.status, job.error) == (VideoStatus.FAILED, "It did not finish within 30 minutes.")


async def test_downloads_are_retried_then_give_up(world: World) -> None:
    world.video_gateway.polls = [COMPLETED]
    world.video_gateway.downloads = [UpstreamUnavailableError(), b"<html>not a video</html>", MP4]
    await submitted(world)
    assert (await follow(world, passes=3)).status is VideoStatus.COMPLETED

    other = World()
    other.video_gateway.polls = [COMPLETED]
    other.video_gateway.downloads = [UpstreamUnavailableError("Provider returned error")]
    await submitted(other)
    job = await follow(other, passes=4)
    assert (job.status, job.download_failures) == (VideoStatus.IN_PROGRESS, 4)
    job = await follow(other, passes=1)
    assert job.status is VideoStatus.FAILED and job.error is not None
    assert job.error.startswith("The video was made but could not be downloaded")
    assert other.media.files == {}


async def test_a_job_deleted_while_downloading_leaves_no_file(world: World) -> None:
    job = await submitted(world)
    world.video_gateway.polls = [COMPLETED]
    original = world.video_gateway.download_video

    async def delete_then_download(upstream_id: str, urls: tuple[str, ...]) -> bytes:
        await world.delete_generation().execute(generation_id=job.id, user_id="u1", is_admin=False)
        return await original(upstream_id, urls)

    world.video_gateway.download_video = delete_then_download  # type: ignore[method-assign]
    world.clock.advance(seconds=5)
    await world.advance_video_jobs().execute()
    assert world.media.files == {} and world.uow.generations.rows == {}
