"""Video use cases on fakes: submit once with valid options and a clean first frame, ownership,
models. The follower that takes a job to its end is in test_video_follower.py."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from application.errors import (
    InvalidImageError,
    InvalidUrlError,
    NotFoundError,
    PayloadTooLargeError,
    UpstreamUnavailableError,
)
from application.generation.advance_video_jobs import LOST
from domain.errors import InvalidGenerationRequestError, InvalidVideoOptionsError
from domain.generations import GenerationKind
from domain.video_jobs import VideoStatus
from domain.video_options import VideoOptions
from tests.fake_gateway import SORA, VEO, png_bytes
from tests.unit.application.video_steps import PROMPT, follow, submitted
from tests.unit.world import World


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
