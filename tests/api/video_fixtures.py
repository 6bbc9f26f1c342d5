"""The API with a fast video follower, wired to the simulator, and helpers to follow jobs."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from PIL import Image

from adapters.openrouter.video import OpenRouterVideoGateway
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.api.conftest import Account, make_settings
from tests.api.generation_fixtures import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.fake_gateway import FakeAddressResolver
from tests.simulator_fixtures import SimulatorHandle

VEO, GROK, SORA = "google/veo-3.1-lite", "x-ai/grok-imagine-video", "openai/sora-2-pro"
FAST = {"video_poll_interval_s": 0.05, "video_poll_max_interval_s": 0.15}
PUBLIC_HOST, PRIVATE_HOST = "images.example.com", "intranet.example.com"
NAMES = {PUBLIC_HOST: ["93.184.215.14"], PRIVATE_HOST: ["93.184.215.14", "10.1.2.3"]}


def video_container(tmp_path: Path, simulator: SimulatorHandle, **settings: Any) -> Container:
    """Like the generation tests' container, with a fast follower; no real DNS."""
    values = {**FAST, **settings}
    container = Container(
        settings=make_settings(
            tmp_path,
            openrouter_base_url=simulator.base_url,
            openrouter_api_key=simulator.api_key,
            admin_email=ADMIN_EMAIL,
            admin_password=ADMIN_PASSWORD,
            **values,
        )
    )
    container.video_gateway.override(
        providers.Singleton(
            OpenRouterVideoGateway,
            client=container.http,
            base_url=simulator.base_url,
            api_key=simulator.api_key,
            retry_base_s=0.01,
            retry_max_wait_s=0.1,
        )
    )
    container.resolver.override(providers.Object(FakeAddressResolver(NAMES)))
    return container


def started(container: Container) -> TestClient:
    return TestClient(create_app(container.settings(), container), raise_server_exceptions=False)


@pytest.fixture
def video_api(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> Iterator[TestClient]:
    with started(video_container(tmp_path, simulator, **engine_settings)) as client:
        yield client


@pytest.fixture
def ada(video_api: TestClient) -> Account:
    return Account(video_api, "ada@example.com")


def submit(api: TestClient, who: Account, prompt: str = "a fox in snow", **body: Any) -> Any:
    payload = {"prompt": prompt, "model": VEO, **body}
    return api.post("/generate/video", json=payload, headers=who.headers)


def follow(
    api: TestClient, who: Account, job_id: str, until: set[str] | None = None, timeout: float = 60
) -> list[dict[str, Any]]:
    """GET the job until its status is in `until` (default: finished); every answer seen.
    The background poller moves the job: this observes it; `timeout` only ends a hang."""
    until = until or {"completed", "failed"}
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(f"/generate/video/{job_id}", headers=who.headers)
        assert response.status_code == 200, response.text
        seen.append(response.json())
        if seen[-1]["status"] in until:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} never reached {until}: {seen[-1]}")


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Until `condition()` holds; `timeout` only ends a hang, it bounds no figure."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def statuses(seen: list[dict[str, Any]]) -> list[str]:
    """The distinct statuses in the order they were first seen."""
    return list(dict.fromkeys(answer["status"] for answer in seen))


def submits(simulator: SimulatorHandle) -> list[dict[str, Any]]:
    return [r for r in simulator.requests("/videos") if r["method"] == "POST"]


def polls(simulator: SimulatorHandle) -> list[dict[str, Any]]:
    return [
        r
        for r in simulator.requests()
        if r["method"] == "GET" and "/videos/gen-" in r["path"] and "/content" not in r["path"]
    ]


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (64, 36)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(
    api: TestClient,
    who: Account,
    data: bytes,
    *,
    name: str = "frame.png",
    content_type: str = "image/png",
    **fields: str,
) -> httpx.Response:
    form = {"prompt": "the picture comes alive", "model": VEO, **fields}
    files = {"image": (name, data, content_type)}
    return api.post("/generate/video/from-image", data=form, files=files, headers=who.headers)
