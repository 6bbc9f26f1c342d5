"""OpenRouterVideoGateway against the simulator: submit, poll, download, every outcome, the key."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.openrouter.gateway import make_http_client
from adapters.openrouter.video import GONE, OpenRouterVideoGateway
from application.errors import ProviderNotConfiguredError, UpstreamUnavailableError
from application.ports.video import VideoRequest
from domain.errors import Error
from domain.video_options import VideoCapabilities, VideoOptions
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle as Sim

simulator_session, simulator = fx.simulator_session, fx.simulator
GROK, VEO, SORA = "x-ai/grok-imagine-video", "google/veo-3.1-lite", "openai/sora-2-pro"
FRAME = "data:image/png;base64,iVBORw0KGgo="


@pytest.fixture(autouse=True)
def no_key_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert fx.TEST_CONFIG.api_key not in caplog.text


@pytest.fixture
async def gateway(simulator: Sim, tmp_path: Path) -> AsyncIterator[OpenRouterVideoGateway]:
    async with AsyncExitStack() as stack:
        http = make_http_client(connect_s=2, read_s=2, write_s=2, pool_s=2)
        stack.push_async_callback(http.aclose)
        yield OpenRouterVideoGateway(
            http,
            simulator.base_url,
            simulator.api_key,
            retry_base_s=0.01,
            retry_max_wait_s=0.1,
            spool_dir=tmp_path / "incoming",
        )


def ask(
    prompt: str = "a fox in snow", model: str = GROK, frame: str | None = None, **options: Any
) -> VideoRequest:
    return VideoRequest(model, prompt, VideoOptions(**options), first_frame_url=frame)


def job_path(upstream_id: str) -> str:
    return f"/api/v1/videos/{upstream_id}"


async def test_submit_sends_one_post_and_gets_an_absolute_polling_url(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    sent = await gateway.submit_video(ask(duration=4, aspect_ratio="16:9", generate_audio=False))
    assert sent.polling_url == simulator.origin + job_path(sent.upstream_id)
    [logged] = simulator.requests("/videos")
    assert logged["auth_matched"] is True
    assert logged["json"] == {
        "model": GROK,
        "prompt": "a fox in snow",
        "duration": 4,
        "aspect_ratio": "16:9",
        "generate_audio": False,
    }


async def test_image_to_video_is_the_same_post_with_a_first_frame(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    await gateway.submit_video(ask(model=VEO, frame=FRAME))
    [logged] = simulator.requests("/videos")
    assert logged["json"]["frame_images"] == [
        {"type": "image_url", "image_url": {"url": FRAME}, "frame_type": "first_frame"}
    ]


async def test_a_job_is_polled_to_completion_and_its_video_downloaded_with_the_key(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    simulator.set_scenario(video_pending_polls=1, video_in_progress_polls=1)
    sent = await gateway.submit_video(ask())
    seen = [await gateway.poll_video(sent.upstream_id, sent.polling_url) for _ in range(3)]
    assert [poll.status for poll in seen] == ["pending", "in_progress", "completed"]
    done = seen[-1]
    assert done.cost is not None and done.cost > 0
    assert done.content_urls == (f"{simulator.origin}{job_path(sent.upstream_id)}/content?index=0",)
    video = await gateway.download_video(sent.upstream_id, done.content_urls)
    data = Path(video.path).read_bytes()
    fx.assert_playable_mp4(data)
    assert (video.size, video.head) == (len(data), data[:64])
    assert Path(video.path).parent.name == "incoming"
    assert Path(video.path).stat().st_mode & 0o777 == 0o600
    content = [r for r in simulator.requests() if r["path"].endswith("/content")]
    assert [r["auth_matched"] for r in content] == [True]


async def test_a_relative_polling_url_is_resolved_against_the_base_origin(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    simulator.set_scenario(relative_polling_url=True)
    sent = await gateway.submit_video(ask())
    assert sent.polling_url == simulator.origin + job_path(sent.upstream_id)
    assert (await gateway.poll_video(sent.upstream_id, sent.polling_url)).status == "pending"


async def test_a_polling_url_elsewhere_is_not_followed_with_the_key(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    sent = await gateway.submit_video(ask())
    poll = await gateway.poll_video(sent.upstream_id, "https://evil.example/api/v1/videos/x")
    assert poll.status == "pending"
    assert simulator.requests()[-1]["path"] == job_path(sent.upstream_id)


async def test_the_key_goes_only_to_the_openrouter_origin(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    simulator.set_scenario(video_pending_polls=0, video_in_progress_polls=0)
    sent = await gateway.submit_video(ask())
    await gateway.poll_video(sent.upstream_id, sent.polling_url)
    elsewhere = simulator.origin.replace("127.0.0.1", "localhost")  # same server, other origin
    url = f"{elsewhere}{job_path(sent.upstream_id)}/content?index=0"
    error = await failure(gateway.download_video(sent.upstream_id, (url,)))
    assert isinstance(error, UpstreamUnavailableError) and "answered 401" in error.detail
    [logged] = [r for r in simulator.requests() if r["path"].endswith("/content")]
    assert logged["auth_matched"] is None and "authorization" not in logged["headers"]
    for refused in ("file:///etc/passwd", "ftp://127.0.0.1/x"):
        await failure(gateway.download_video(sent.upstream_id, (refused,)))
    assert len([r for r in simulator.requests() if r["path"].endswith("/content")]) == 1


@pytest.mark.parametrize(
    ("fault", "status", "message"),
    [
        ("video_failed", "failed", "Content policy violation"),
        ("video_cancelled", "cancelled", "Job was cancelled"),
        ("video_expired", "expired", "Job exceeded maximum time to live"),
    ],
)
async def test_terminal_failures_are_reported_with_their_error(
    gateway: OpenRouterVideoGateway, simulator: Sim, fault: str, status: str, message: str
) -> None:
    simulator.set_scenario(video_pending_polls=0, video_in_progress_polls=0)
    sent = await gateway.submit_video(ask(f"[[sim:fault={fault}]] a fox"))
    poll = await gateway.poll_video(sent.upstream_id, sent.polling_url)
    assert (poll.status, poll.error, poll.content_urls) == (status, message, ())


async def test_a_content_502_is_a_passing_upstream_failure(
    gateway: OpenRouterVideoGateway, simulator: Sim
) -> None:
    simulator.set_scenario(video_pending_polls=0, video_in_progress_polls=0)
    sent = await gateway.submit_video(ask("[[sim:fault=video_content_502]] a fox"))
    poll = await gateway.poll_video(sent.upstream_id, sent.polling_url)
    error = await failure(gateway.download_video(sent.upstream_id, poll.content_urls))
    assert isinstance(error, UpstreamUnavailableError) and error.reason == "provider_down"


async def test_an_unknown_job_is_gone(gateway: OpenRouterVideoGateway) -> None:
    error = await failure(gateway.poll_video("AAAAAAAAAAAAAAAAAAAA", None))
    assert isinstance(error, UpstreamUnavailableError)
    assert (error.detail, error.reason) == (GONE, "bad_request")


@pytest.mark.parametrize("fault", ["503", "429", "500"])
async def test_a_failed_submit_is_never_retried(
    gateway: OpenRouterVideoGateway, simulator: Sim, fault: str
) -> None:
    simulator.set_scenario(fault=fault, endpoints=["/videos"])
    await failure(gateway.submit_video(ask()))
    assert len(simulator.requests("/videos")) == 1


async def test_options_upstream_refuses_come_back_with_its_message(
    gateway: OpenRouterVideoGateway,
) -> None:
    error = await failure(gateway.submit_video(ask(duration=99)))
    assert isinstance(error, UpstreamUnavailableError) and error.reason == "bad_request"
    assert "Supported durations" in error.detail


async def test_video_models_carry_their_capability_sets(gateway: OpenRouterVideoGateway) -> None:
    models = {model.id: model for model in await gateway.list_video_models()}
    assert models[VEO].video == VideoCapabilities(
        durations=(8, 4, 6),
        resolutions=("720p", "1080p"),
        aspect_ratios=("16:9", "9:16"),
        frame_images=("first_frame", "last_frame"),
        generate_audio=True,
        seed=None,
    )
    assert models[SORA].video is not None and models[SORA].video.frame_images == ()
    assert models[SORA].input_modalities == ("text",) and models[VEO].pricing


async def test_without_a_key_nothing_is_sent(simulator: Sim) -> None:
    async with httpx.AsyncClient() as http:
        unconfigured = OpenRouterVideoGateway(http, simulator.base_url, "")
        calls = (
            unconfigured.submit_video(ask()),
            unconfigured.poll_video("x", None),
            unconfigured.download_video("x", ()),
            unconfigured.list_video_models(),
        )
        for call in calls:
            assert isinstance(await failure(call), ProviderNotConfiguredError)
    assert simulator.requests() == []


async def test_redirects_are_followed_by_hand_and_the_key_stays_home() -> None:
    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("authorization")))
        if request.url.host == "openrouter.test":
            return httpx.Response(302, headers={"location": "https://cdn.test/v.mp4?sig=1"})
        return httpx.Response(200, content=b"\x00\x00\x00\x18ftypisom")

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        gw = OpenRouterVideoGateway(http, "https://openrouter.test/api/v1", "sk-or-v1-test")
        video = await gw.download_video("abc", ())
        assert Path(video.path).read_bytes().startswith(b"\x00\x00\x00\x18ftyp")
        Path(video.path).unlink()
    assert seen == [
        ("https://openrouter.test/api/v1/videos/abc/content?index=0", "Bearer sk-or-v1-test"),
        ("https://cdn.test/v.mp4?sig=1", None),
    ]


async def test_endless_redirects_end(simulator: Sim) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": str(request.url)})

    async with httpx.AsyncClient(transport=httpx.MockTransport(loop)) as http:
        gw = OpenRouterVideoGateway(http, "https://openrouter.test/api/v1", "sk-or-v1-test")
        error = await failure(gw.download_video("abc", ()))
    assert "redirected too many times" in error.detail


async def failure(call: Any) -> Error:
    try:
        await call
    except Error as error:
        assert fx.TEST_CONFIG.api_key not in f"{error!r} {error}"
        return error
    raise AssertionError("no error raised")
