"""Video use cases on fakes: submit once, follow to the end, fail with a reason, ownership."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from PIL import Image

from application.errors import (
    InvalidImageError,
    InvalidUrlError,
    NotFoundError,
    PayloadTooLargeError,
    UpstreamRejectedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from application.generation.advance_video_jobs import LOST
from application.ports.video import VideoPoll
from domain.errors import InvalidGenerationRequestError, InvalidVideoOptionsError
from domain.generations import GenerationKind
from domain.video_jobs import VideoJob, VideoStatus
from domain.video_options import VideoOptions
from tests.fake_gateway import COMPLETED, MP4, SORA, VEO, png_bytes
from tests.unit.world import World

PROMPT = "A red fox runs through snow"


async def submitted(world: World, user: str = "u1", **options: object) -> VideoJob:
    return await world.submit_video().execute(
        user_id=user,
        model=VEO,
        prompt=PROMPT,
        options=VideoOptions(**options),  # type: ignore[arg-type]
    )


async def follow(world: World, passes: int = 5) -> VideoJob:
    """Run follower passes, each after the poll interval; the stored job at the end."""
    for _ in range(passes):
        world.clock.advance(seconds=60)
        await world.advance_video_jobs().execute()
    [job] = world.uow.video_jobs.rows.values()
    return job


async def test_a_job_is_stored_queued_and_submitted_once_with_its_options(world: World) -> None:
    job = await submitted(world, duration=4, resolution="720p", generate_audio=True)
    assert job.status is VideoStatus.QUEUED and job.upstream_id == "up-1"
    [request] = world.video_gateway.submitted
    assert request.options == VideoOptions(duration=4, resolution="720p", generate_audio=True)
    assert request.first_frame_url is None
    record = world.uow.generations.rows[job.id]
    assert (record.kind, record.status.value, record.upstream_id) == (
        GenerationKind.VIDEO,
        "queued",
        "up-1",
    )


async def test_options_outside_the_model_are_refused_before_anything_is_stored(
    world: World,
) -> None:
    with pytest.raises(InvalidVideoOptionsError, match="choose one of: 4, 6, 8"):
        await submitted(world, duration=5)
    with pytest.raises(InvalidVideoOptionsError, match=r"choose one of: google/veo-3\.1-lite"):
        await world.submit_video().execute(
            user_id="u1", model="openai/gpt-4o", prompt=PROMPT, options=VideoOptions()
        )
    assert world.video_gateway.submitted == [] and world.uow.generations.rows == {}


async def test_a_refused_submit_leaves_a_failed_job_and_is_not_retried(world: World) -> None:
    world.video_gateway.submit_error = UpstreamUnavailableError(
        "OpenRouter refused the request: too long", reason="bad_request"
    )
    with pytest.raises(UpstreamUnavailableError):
        await submitted(world)
    [job] = world.uow.video_jobs.rows.values()
    assert job.status is VideoStatus.FAILED and "too long" in (job.error or "")
    await follow(world)
    assert len(world.video_gateway.submitted) == 1


class Crash(BaseException):
    """The process dying in the middle of the submit."""


async def test_a_job_lost_mid_submit_is_failed_later_and_never_sent_again(world: World) -> None:
    world.video_gateway.submit_error = Crash()  # type: ignore[assignment]
    with pytest.raises(Crash):
        await submitted(world)
    [job] = world.uow.video_jobs.rows.values()
    assert job.status is VideoStatus.QUEUED and job.upstream_id is None  # stored before
    await world.advance_video_jobs().execute()
    assert world.uow.video_jobs.rows[job.id].status is VideoStatus.QUEUED  # still in grace
    world.clock.advance(minutes=6)
    await world.advance_video_jobs().execute()
    lost = world.uow.video_jobs.rows[job.id]
    assert (lost.status, lost.error) == (VideoStatus.FAILED, LOST)
    assert len(world.video_gateway.submitted) == 1


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


async def test_only_the_owner_or_an_admin_sees_a_job(world: World) -> None:
    job = await submitted(world, user="ada")
    assert (await world.get_video().execute(job_id=job.id, user_id="ada", is_admin=False)) == job
    assert (await world.get_video().execute(job_id=job.id, user_id="root", is_admin=True)) == job
    for job_id, user in ((job.id, "bob"), ("no-such-job", "ada")):
        with pytest.raises(NotFoundError):
            await world.get_video().execute(job_id=job_id, user_id=user, is_admin=False)


async def test_video_models_come_with_their_capabilities_and_are_cached(world: World) -> None:
    models = await world.list_models().execute(output="video")
    assert [m.id for m in models] == [VEO, SORA]
    assert models[0].video is not None and models[0].video.durations == (8, 4, 6)
    world.video_gateway.models = UpstreamUnavailableError()
    world.clock.advance(minutes=30)
    assert await world.list_videos().execute() == models  # stale, rather than an error


def exif_jpeg() -> bytes:
    image, exif = Image.new("RGB", (32, 16), (200, 30, 30)), Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


async def test_an_uploaded_image_goes_up_clean_as_the_first_frame(world: World) -> None:
    job = await world.submit_video_from_image().execute(
        user_id="u1", model=VEO, prompt=PROMPT, options=VideoOptions(), image=exif_jpeg()
    )
    [request] = world.video_gateway.submitted
    assert request.first_frame_url is not None
    header, _, encoded = request.first_frame_url.partition(",")
    assert header == "data:image/jpeg;base64"
    sent = base64.b64decode(encoded)
    assert b"SecretCam" not in sent and Image.open(io.BytesIO(sent)).size == (32, 16)
    assert job.image_source == "upload"


async def test_bad_image_input_is_refused_before_anything_is_stored(world: World) -> None:
    submit = world.submit_video_from_image(max_upload_bytes=4096)
    cases: list[tuple[dict[str, object], type[Exception]]] = [
        ({"image": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}, InvalidImageError),
        ({"image": png_bytes(200, 200) + b"\x00" * 5000}, PayloadTooLargeError),
        ({"image_url": "http://example.com/a.png"}, InvalidUrlError),
        (
            {"image": png_bytes(4, 4), "image_url": "https://example.com/a.png"},
            InvalidGenerationRequestError,
        ),
        ({}, InvalidGenerationRequestError),
    ]
    for given, error in cases:
        with pytest.raises(error):
            await submit.execute(
                user_id="u1", model=VEO, prompt=PROMPT, options=VideoOptions(), **given
            )  # type: ignore[arg-type]
    with pytest.raises(InvalidVideoOptionsError, match="does not take a frame image"):
        await submit.execute(
            user_id="u1", model=SORA, prompt=PROMPT, options=VideoOptions(), image=png_bytes(4, 4)
        )
    assert world.video_gateway.submitted == [] and world.uow.generations.rows == {}


async def test_a_public_image_url_is_passed_on_unfetched(world: World) -> None:
    world.resolver.names["images.example.com"] = ["93.184.215.14", "2606:2800:21f:cb07::1"]
    url = "https://images.example.com/fox.png"
    job = await world.submit_video_from_image().execute(
        user_id="u1", model=VEO, prompt=PROMPT, options=VideoOptions(), image_url=url
    )
    assert world.video_gateway.submitted[0].first_frame_url == url and job.image_source == url
    world.resolver.names["images.example.com"].append("10.0.0.7")  # one private answer is enough
    with pytest.raises(InvalidUrlError):
        await world.submit_video_from_image().execute(
            user_id="u1", model=VEO, prompt=PROMPT, options=VideoOptions(), image_url=url
        )
