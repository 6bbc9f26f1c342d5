"""The image page, the media proxy, the demo banner and the new navigation."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import FakeApi, csrf_token, make_settings, sign_in
from tests.web.fake_generation import png

DEMO = "Demo mode: answers come from a local simulator, not a real AI model."


def test_the_image_page_offers_image_models_and_aspect_ratios(signed_in: FlaskClient) -> None:
    page = signed_in.get("/images").text

    assert '<option value="google/gemini-2.5-flash-image" selected>' in page
    assert '<option selected value="1:1">1:1 · square</option>' in page
    assert '<option value="21:9">21:9 · ultra-wide</option>' in page


def test_a_generated_image_is_shown_through_the_media_proxy(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    data = {
        "model": "google/gemini-2.5-flash-image",
        "prompt": "A grey square",
        "aspect_ratio": "3:2",
        "csrf_token": csrf_token(signed_in, "/images"),
    }

    page = signed_in.post("/images", data=data).text

    media_id = next(iter(fake_api.gen.media))
    assert (
        f'<img src="/media/{media_id}" alt="Generated image for: A grey square" width="3" '
        'height="2" data-testid="generated-image">'
    ) in page
    assert "<p>A grey picture.</p>" in page
    assert fake_api.gen.bodies[-1] == {
        "prompt": "A grey square",
        "model": "google/gemini-2.5-flash-image",
        "aspect_ratio": "3:2",
    }


def test_the_media_proxy_streams_the_bytes_with_their_type(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    image = fake_api.gen.add_media("image/png", png(4, 4), 4, 4)

    response = signed_in.get(image["url"])

    assert response.status_code == 200
    assert response.data == png(4, 4)
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Length"] == str(len(png(4, 4)))


@pytest.mark.parametrize("content_type", ["video/webm", "video/mp4"])
def test_videos_are_served_with_a_type_the_browser_plays(
    signed_in: FlaskClient, fake_api: FakeApi, content_type: str
) -> None:
    video = fake_api.gen.add_media(content_type, b"\x1a\x45\xdf\xa3 a video", 8, 8)

    response = signed_in.get(video["url"])

    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type


def test_an_unexpected_media_type_is_served_as_a_download(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    page = fake_api.gen.add_media("text/html", b"<script>alert(1)</script>", 1, 1)

    response = signed_in.get(page["url"])

    assert response.headers["Content-Type"] == "application/octet-stream"


def test_the_media_proxy_needs_a_session(client: FlaskClient, fake_api: FakeApi) -> None:
    image = fake_api.gen.add_media("image/png", png(1, 1), 1, 1)

    response = client.get(image["url"])

    assert response.status_code == 302
    assert response.location.startswith("/login?next=/media/")
    assert response.headers["Cache-Control"] == "no-store"
    assert not [call for call in fake_api.calls if "/media/" in call]


def test_unknown_or_odd_media_ids_are_not_found(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    assert signed_in.get("/media/nope").status_code == 404
    assert signed_in.get("/media/..%2Fauth%2Fme").status_code == 404
    assert "GET /media/..%2Fauth%2Fme" not in fake_api.calls


def test_the_navigation_and_dashboard_lead_to_the_new_pages(signed_in: FlaskClient) -> None:
    page = signed_in.get("/").text

    for path, label in (("/text", "Text"), ("/images", "Images"), ("/history", "History")):
        assert f'<li><a href="{path}">{label}</a></li>' in page
        assert f'<a class="tile" href="{path}"><strong>{label}</strong>' in page
    assert DEMO not in page


def test_demo_mode_is_announced_on_every_page(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    client = create_app(make_settings(tmp_path, demo_mode=True), api_client).test_client()

    assert DEMO in client.get("/login").text
    sign_in(client, fake_api)
    for path in ("/", "/text", "/images", "/history"):
        assert DEMO in client.get(path).text, path
