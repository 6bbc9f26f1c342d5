"""Image-to-video through the API: uploads and URLs, and every way bad input is refused
before anything is sent upstream."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from entrypoints.api.app import create_app
from tests.api.conftest import PASSWORD, Account
from tests.api.test_auth_api import assert_problem
from tests.api.video_fixtures import (
    PRIVATE_HOST,
    PUBLIC_HOST,
    SORA,
    VEO,
    ada,  # noqa: F401 (fixture)
    follow,
    started,
    submits,
    upload,
    video_api,  # noqa: F401 (fixture)
    video_container,
)
from tests.image_samples import HTML_AS_PNG, SVG, declared_png, encoded, with_exif
from tests.simulator_fixtures import (
    SimulatorHandle,
    simulator,  # noqa: F401 (fixture)
    simulator_session,  # noqa: F401 (fixture)
)

FROM_IMAGE = "/generate/video/from-image"
MiB = 1024 * 1024


def first_frame(simulator: SimulatorHandle) -> str:
    [sent] = submits(simulator)
    [frame] = sent["json"]["frame_images"]
    assert (frame["type"], frame["frame_type"]) == ("image_url", "first_frame")
    return str(frame["image_url"]["url"])


def test_an_uploaded_image_becomes_a_clean_first_frame_and_the_job_completes(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    response = upload(
        video_api,
        ada,
        with_exif("JPEG"),
        name="me.jpg",
        content_type="image/jpeg",
        duration="4",
        aspect_ratio="",
        resolution="720p",
    )
    assert response.status_code == 202, response.text
    url = first_frame(simulator)
    assert url.startswith("data:image/jpeg;base64,")
    sent = base64.b64decode(url.partition(",")[2])
    assert b"SecretCam" not in sent and Image.open(io.BytesIO(sent)).size == (48, 32)
    assert submits(simulator)[0]["json"]["duration"] == 4  # form text became a number
    assert "aspect_ratio" not in submits(simulator)[0]["json"]  # an empty field is "not given"
    done = follow(video_api, ada, response.json()["id"])[-1]
    assert done["status"] == "completed" and done["video_url"]


@pytest.mark.parametrize("as_json", [True, False])
def test_a_public_image_url_is_passed_on(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle, as_json: bool
) -> None:
    url = f"https://{PUBLIC_HOST}/fox.png"
    body = {"prompt": "the fox runs", "model": VEO, "image_url": url}
    if as_json:
        response = video_api.post(FROM_IMAGE, json=body, headers=ada.headers)
    else:  # multipart with text fields only
        response = _multipart_fields(video_api, ada, body)
    assert response.status_code == 202, response.text
    assert first_frame(simulator) == url


def _multipart_fields(api: TestClient, who: Account, fields: dict[str, str]) -> httpx.Response:
    boundary = "----allucanget"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    headers = {**who.headers, "content-type": f"multipart/form-data; boundary={boundary}"}
    return api.post(FROM_IMAGE, content=body, headers=headers)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (HTML_AS_PNG, "x.png", "image/png"),
        (encoded("GIF"), "x.png", "image/png"),
        (SVG, "x.png", "image/png"),
        (SVG, "x.svg", "image/svg+xml"),
        (encoded("PNG", (300, 200), noise=True)[:4000], "cut.png", "image/png"),
        (declared_png(10_000, 10_000), "bomb.png", "image/png"),
        (declared_png(7_100, 7_100), "big.png", "image/png"),
        (b"", "empty.png", "image/png"),
    ],
)
def test_files_that_are_not_allowed_images_are_a_422(
    video_api: TestClient,
    ada: Account,
    simulator: SimulatorHandle,
    data: bytes,
    name: str,
    content_type: str,
) -> None:
    response = upload(video_api, ada, data, name=name, content_type=content_type)
    assert_problem(response, 422, "invalid_image")
    assert submits(simulator) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://images.example.com/a.png",
        "https://127.0.0.1/a.png",
        "https://2130706433/a.png",
        "https://0x7f000001/a.png",
        "https://017700000001/a.png",
        "https://127.1/a.png",
        "https://[::ffff:127.0.0.1]/a.png",
        "https://169.254.169.254/latest/meta-data/",
        "https://user@images.example.com/a.png",
        "https://images.example.com:8443/a.png",
        f"https://{PRIVATE_HOST}/a.png",
        "https://localhost/a.png",
        "https://images.example.com/" + "a" * 2100,
    ],
)
def test_image_urls_not_https_to_a_public_address_are_a_422(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle, url: str
) -> None:
    body = {"prompt": "the fox runs", "model": VEO, "image_url": url}
    assert_problem(video_api.post(FROM_IMAGE, json=body, headers=ada.headers), 422, "invalid_url")
    assert submits(simulator) == []


def test_other_request_shapes_are_refused(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    png = encoded("PNG")
    for content_type in ("image/png", "text/plain", "application/x-www-form-urlencoded"):
        headers = {**ada.headers, "content-type": content_type}
        response = video_api.post(FROM_IMAGE, content=png, headers=headers)
        assert_problem(response, 415, "unsupported_media_type")
    both = upload(video_api, ada, png, image_url=f"https://{PUBLIC_HOST}/a.png")
    assert_problem(both, 422, "validation_error")
    no_frames = upload(video_api, ada, png, model=SORA)
    assert (
        "does not take a frame image"
        in assert_problem(no_frames, 422, "validation_error")["detail"]
    )
    fields = {"prompt": "p", "model": VEO}
    for files in (
        [("image", ("a.png", png)), ("image", ("b.png", png))],  # one file only
        [("file", ("a.png", png))],
    ):  # and it is called `image`
        response = video_api.post(FROM_IMAGE, data=fields, files=files, headers=ada.headers)
        assert_problem(response, 422, "validation_error")
    assert video_api.post(FROM_IMAGE, json={"prompt": "p", "model": VEO}).status_code == 401
    assert submits(simulator) == []


def test_an_image_over_10_mib_is_a_413(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    png = encoded("PNG")
    just_over = png + b"\x00" * (10 * MiB + 1 - len(png))
    assert_problem(upload(video_api, ada, just_over), 413, "payload_too_large")
    far_over = png + b"\x00" * (12 * MiB)  # refused on Content-Length, at the edge
    assert_problem(upload(video_api, ada, far_over), 413, "payload_too_large")
    assert submits(simulator) == []


@pytest.fixture
async def asgi(tmp_path: Path, simulator: SimulatorHandle) -> AsyncIterator[httpx.AsyncClient]:
    """The app driven through httpx's ASGI transport, which hands the body over chunk by
    chunk as the app asks for it (TestClient reads it all first)."""
    container = video_container(tmp_path, simulator, upload_max_bytes=64 * 1024)
    app = create_app(container.settings(), container)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


async def test_the_cap_is_enforced_while_the_body_streams_in(
    asgi: httpx.AsyncClient, simulator: SimulatorHandle
) -> None:
    credentials = {"email": "ada@example.com", "password": PASSWORD}
    assert (await asgi.post("/auth/register", json=credentials)).status_code == 201
    token = (await asgi.post("/auth/login", json=credentials)).json()["access_token"]
    pulled = 0

    async def endless_file() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield (
            b'--b\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'
            b"Content-Type: image/png\r\n\r\n"
        )
        for _ in range(10_000):  # 160 MB if it were all read
            pulled += 1
            yield b"\x89" * 16384

    headers = {
        "authorization": f"Bearer {token}",
        "content-type": "multipart/form-data; boundary=b",
    }
    response = await asgi.post(FROM_IMAGE, content=endless_file(), headers=headers)
    assert_problem(response, 413, "payload_too_large")  # type: ignore[arg-type]
    assert pulled <= (64 * 1024 + 256 * 1024) // 16384 + 2  # stopped at the cap, not the end
    assert submits(simulator) == []


def test_the_upload_route_documents_both_body_types_and_its_errors(video_api: TestClient) -> None:
    operation = video_api.get("/openapi.json").json()["paths"][FROM_IMAGE]["post"]
    content = operation["requestBody"]["content"]
    assert content["multipart/form-data"]["schema"]["properties"]["image"]["format"] == "binary"
    assert "image_url" in content["application/json"]["schema"]["properties"]
    assert {"202", "401", "413", "415", "422", "502", "503", "504"} <= set(operation["responses"])


def test_a_restarted_client_sees_the_same_job(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> None:
    with started(video_container(tmp_path, simulator, **engine_settings)) as api:
        ada = Account(api, "ada@example.com")
        job = upload(api, ada, encoded("WEBP")).json()
        assert first_frame(simulator).startswith("data:image/webp;base64,")
        assert follow(api, ada, job["id"])[-1]["status"] == "completed"
