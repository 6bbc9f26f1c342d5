"""The video form: options from the chosen model's capabilities, the submit, and its errors."""

from __future__ import annotations

import html
import json
import re

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, problem
from tests.web.fake_video import VIDEO_MODELS, FakeVideos
from tests.web.video_pages import box, form_data, options, selected


@pytest.fixture
def videos(fake_api: FakeApi) -> FakeVideos:
    fake_api.gen.models["video"] = VIDEO_MODELS
    fake_api.video.gen = fake_api.gen
    return fake_api.video


def test_the_options_are_those_of_the_default_model(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    page = signed_in.get("/video").text

    assert '<option value="google/veo-3.1-lite" selected>' in page
    assert "Google: Veo 3.1 Lite · from $0.5 per second" in page
    assert options(page, "duration") == ["", "4", "6", "8"]
    assert '<option value="4">4 seconds</option>' in page
    assert options(page, "resolution") == ["", "720p", "1080p"]
    assert options(page, "aspect_ratio") == ["", "16:9", "9:16"]
    assert '<option value="16:9">16:9 · wide</option>' in page
    assert "hidden" not in box(page, "generate_audio")
    assert 'name="generate_audio" type="checkbox" value="y"' in page
    assert "hidden" in box(page, "seed")  # Veo takes no seed
    assert re.search(r'<input disabled id="seed"', page)
    assert '<script src="/static/video.js" defer></script>' in page


def test_every_models_capabilities_are_embedded_for_the_script(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    page = signed_in.get("/video").text

    raw = re.search(r"data-capabilities='([^']*)'", page)
    assert raw
    caps = json.loads(html.unescape(raw.group(1)))
    assert set(caps) == {m["id"] for m in VIDEO_MODELS}
    assert caps["bytedance/seedance-2.0-mini"]["seed"] is True
    assert caps["bytedance/seedance-2.0-mini"]["aspect_ratio"][-1] == ["21:9", "21:9 · ultra-wide"]
    assert caps["openai/sora-2-pro"] == {
        "duration": [["4", "4 seconds"], ["8", "8 seconds"], ["12", "12 seconds"]],
        "resolution": [],
        "aspect_ratio": [["16:9", "16:9 · wide"], ["9:16", "9:16 · tall"]],
        "generate_audio": False,
        "seed": False,
    }


def test_submitting_sends_the_options_and_redirects_to_the_job(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    data = form_data(signed_in, duration="6", resolution="1080p", aspect_ratio="9:16", seed="7")

    response = signed_in.post("/video", data=data)

    assert response.status_code == 303
    job_id = next(iter(videos.jobs))
    assert response.location == f"/video/{job_id}"
    assert videos.bodies[-1] == {
        "prompt": "A fox in the snow",
        "model": "google/veo-3.1-lite",
        "duration": 6,
        "resolution": "1080p",
        "aspect_ratio": "9:16",
        "generate_audio": True,
    }  # no seed: Veo takes none


def test_defaults_are_left_to_the_model_and_audio_can_be_turned_off(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    data = form_data(signed_in, model="bytedance/seedance-2.0-mini", seed="42")
    del data["generate_audio"]

    assert signed_in.post("/video", data=data).status_code == 303

    assert videos.bodies[-1] == {
        "prompt": "A fox in the snow",
        "model": "bytedance/seedance-2.0-mini",
        "generate_audio": False,
        "seed": 42,
    }


def test_a_value_another_model_offers_gets_the_apis_message_naming_the_allowed_ones(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    detail = "Duration 6 is not offered by openai/sora-2-pro; choose one of: 4, 8, 12."
    fake_api.forced["/generate/video"] = problem(422, "validation_error", detail)
    data = form_data(signed_in, model="openai/sora-2-pro", duration="6", resolution="720p")

    response = signed_in.post("/video", data=data)

    assert response.status_code == 422
    assert detail in response.text
    assert "A fox in the snow</textarea>" in response.text
    # The page now offers what Sora offers, and still shows what was sent.
    assert options(response.text, "duration") == ["", "4", "8", "12", "6"]
    assert selected(response.text, "duration") == "6"
    assert "6 (not offered by this model)" in response.text
    assert "hidden" in box(response.text, "generate_audio")


def test_schema_errors_land_on_their_fields(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    errors = [{"loc": ["body", "aspect_ratio"], "msg": "Input should be '16:9' or '9:16'"}]
    fake_api.forced["/generate/video"] = problem(422, "validation_error", "", errors=errors)

    response = signed_in.post("/video", data=form_data(signed_in, aspect_ratio="4:3"))

    assert response.status_code == 422
    assert "Please correct the highlighted fields." in response.text
    assert re.search(r'id="aspect_ratio-error">Input should be &#39;16:9&#39;', response.text)


def test_the_form_is_checked_before_anything_is_sent(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    data = form_data(signed_in, prompt="", duration="six", seed="-1")

    response = signed_in.post("/video", data=data)

    assert response.status_code == 400
    assert "Enter a prompt." in response.text
    assert "Choose a duration." in response.text
    assert videos.bodies == []


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (503, "provider_not_configured", "No AI provider is configured on this server."),
        (422, "upstream_rejected", "refused this request under its content policy"),
        (502, "upstream_unavailable", "The AI provider is having trouble right now."),
    ],
)
def test_upstream_refusals_are_explained_with_the_prompt_kept(
    signed_in: FlaskClient,
    fake_api: FakeApi,
    videos: FakeVideos,
    status: int,
    code: str,
    message: str,
) -> None:
    fake_api.forced["/generate/video"] = problem(status, code, "", reason="provider_down")

    response = signed_in.post("/video", data=form_data(signed_in))

    assert response.status_code == status
    assert message in response.text
    assert "A fox in the snow</textarea>" in response.text


def test_without_a_model_list_a_model_id_can_be_typed(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    fake_api.forced["/models"] = problem(503, "provider_not_configured")

    page = signed_in.get("/video").text

    assert 'data-testid="model-fallback"' in page
    assert "google/veo-3.1-lite" in page  # the example
    assert options(page, "resolution")[:3] == ["", "480p", "720p"]  # every value OpenRouter knows


def test_posts_need_the_csrf_token(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    for path in ("/video", "/video/from-image"):
        data = {"model": "google/veo-3.1-lite", "prompt": "A fox", "image_url": "https://x.org/a"}
        response = signed_in.post(path, data=data)

        assert response.status_code == 400
        assert "Your form expired, please try again." in response.text
    assert videos.bodies == []


def test_the_pages_need_a_session(client: FlaskClient, fake_api: FakeApi) -> None:
    for path in ("/video", "/video/from-image"):
        response = client.get(path)

        assert response.status_code == 302
        assert response.location == f"/login?next={path}"
