"""The image-to-video form: the upload forwarded as multipart, its errors, and its body cap."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import FakeApi, make_settings, problem, sign_in
from tests.web.fake_generation import png
from tests.web.fake_video import VIDEO_MODELS, FakeVideos
from tests.web.video_pages import form_data, options

PNG = png(6, 4)


@pytest.fixture
def videos(fake_api: FakeApi) -> FakeVideos:
    fake_api.gen.models["video"] = VIDEO_MODELS
    fake_api.video.gen = fake_api.gen
    return fake_api.video


def test_the_upload_page_offers_only_models_that_start_from_an_image(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    response = signed_in.get("/video/from-image")

    assert "openai/sora-2-pro" not in response.text  # frame_images: []
    assert options(response.text, "model") == ["google/veo-3.1-lite", "bytedance/seedance-2.0-mini"]
    assert 'enctype="multipart/form-data"' in response.text
    assert 'accept="image/png,image/jpeg,image/webp"' in response.text
    assert 'data-max-bytes="10485760"' in response.text
    assert 'id="image-preview"' in response.text
    # Only this page may show a blob: image, the preview of the chosen file.
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'self';")
    assert policy.endswith("; img-src 'self' blob:")
    assert "blob:" not in signed_in.get("/video").headers["Content-Security-Policy"]


def test_an_upload_is_forwarded_as_multipart_with_its_bytes(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    data = form_data(signed_in, "/video/from-image", duration="4", image=(io.BytesIO(PNG), "f.png"))

    response = signed_in.post("/video/from-image", data=data, content_type="multipart/form-data")

    assert response.status_code == 303
    assert response.location == f"/video/{next(iter(videos.jobs))}"
    sent = videos.bodies[-1]
    assert sent["content_type"].startswith("multipart/form-data; boundary=")
    assert sent["files"]["image"] == {"filename": "f.png", "content_type": "image/png", "data": PNG}
    assert sent["form"] == {
        "prompt": "A fox in the snow",
        "model": "google/veo-3.1-lite",
        "duration": "4",
        "generate_audio": "true",
    }


def test_an_image_url_is_sent_as_json(signed_in: FlaskClient, videos: FakeVideos) -> None:
    url = "https://images.example.org/fox.png"
    data = form_data(signed_in, "/video/from-image", image_url=f"  {url} ")

    assert signed_in.post("/video/from-image", data=data).status_code == 303

    assert videos.bodies[-1] == {
        "prompt": "A fox in the snow",
        "model": "google/veo-3.1-lite",
        "generate_audio": True,
        "image_url": url,
    }


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Choose an image file, or give the URL of an image."),
        ({"image_url": "https://x.org/a.png"}, "Choose a file or give a URL, not both."),
    ],
)
def test_exactly_one_image_source_is_needed(
    signed_in: FlaskClient, videos: FakeVideos, extra: dict[str, str], message: str
) -> None:
    data = form_data(signed_in, "/video/from-image", **extra)
    if extra:
        data["image"] = (io.BytesIO(PNG), "f.png")

    response = signed_in.post("/video/from-image", data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert message in response.text
    assert videos.bodies == []


@pytest.mark.parametrize(
    ("status", "code", "detail", "top", "field", "said"),
    [
        (
            422,
            "invalid_image",
            "Only PNG, JPEG and WebP images are accepted.",
            "That image cannot be used. Choose a PNG, JPEG or WebP picture.",
            "image",
            "",
        ),
        # The API's edge answers a body over its cap with a generic detail: ours is clearer.
        (
            413,
            "payload_too_large",
            "Payload too large",
            "The image is too large: it may be at most 10 MiB.",
            "image",
            "The image is too large: it may be at most 10 MiB. Choose a smaller picture.",
        ),
        (
            422,
            "invalid_url",
            "The image URL points to a private or reserved address.",
            "That image URL cannot be used: it must be an https address",
            "image_url",
            "",
        ),
    ],
)
def test_image_refusals_are_explained_on_their_field_with_the_prompt_kept(
    signed_in: FlaskClient,
    fake_api: FakeApi,
    videos: FakeVideos,
    status: int,
    code: str,
    detail: str,
    top: str,
    field: str,
    said: str,
) -> None:
    fake_api.forced["/generate/video/from-image"] = problem(status, code, detail)
    source: dict[str, Any] = (
        {"image_url": "https://10.0.0.1/a.png"}
        if field == "image_url"
        else {"image": (io.BytesIO(PNG), "f.png")}
    )
    data = form_data(signed_in, "/video/from-image", **source)

    response = signed_in.post("/video/from-image", data=data, content_type="multipart/form-data")

    assert response.status_code == status
    page = response.text
    assert top in page
    assert re.search(rf'id="{field}-error"[^>]*>{re.escape(html.escape(said or detail))}', page)
    assert "A fox in the snow</textarea>" in page
    assert '<option value="google/veo-3.1-lite" selected>' in page
    if field == "image_url":
        assert 'value="https://10.0.0.1/a.png"' in page
    else:
        assert "Choose the file again" in page


def test_an_upload_over_the_webs_own_cap_is_refused_before_the_api(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    client = create_app(make_settings(tmp_path, upload_max_bytes=1024), api_client).test_client()
    sign_in(client, fake_api)
    huge = io.BytesIO(b"\x89PNG" + b"\x00" * (1024 + 1024 * 1024))
    data = form_data(client, "/video/from-image", image=(huge, "big.png"))

    response = client.post("/video/from-image", data=data, content_type="multipart/form-data")

    assert response.status_code == 413
    assert "The image is too large: it may be at most 1 KiB." in response.text
    assert "Enter the prompt again, too." in response.text
    assert '<form method="post" action="/video/from-image"' in response.text
    assert videos.bodies == []
    assert not [call for call in fake_api.calls if call.startswith("POST /generate/video")]


def test_other_forms_keep_the_small_body_cap(signed_in: FlaskClient, videos: FakeVideos) -> None:
    data = form_data(signed_in, prompt="x" * (2 * 1024 * 1024))

    response = signed_in.post("/video", data=data)

    assert response.status_code == 413
    assert videos.bodies == []


def test_the_file_is_sent_whole_again_after_a_silent_refresh(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    data = form_data(signed_in, "/video/from-image", image=(io.BytesIO(PNG), "f.png"))
    fake_api.forced["/generate/video/from-image"] = problem(401, "token_expired")

    response = signed_in.post("/video/from-image", data=data, content_type="multipart/form-data")

    assert response.status_code == 303
    assert [c for c in fake_api.calls if c.startswith("POST /")][-3:] == [
        "POST /generate/video/from-image",
        "POST /auth/refresh",
        "POST /generate/video/from-image",
    ]
    assert videos.bodies[-1]["files"]["image"]["data"] == PNG
