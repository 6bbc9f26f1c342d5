"""/v1/images/generations and /v1/models with the official `openai` SDK against the real API
and the simulator: both response formats, sizes as aspect ratios, OpenAI's model list."""

from __future__ import annotations

import base64

import httpx

from tests import simulator_fixtures as fx
from tests.api.v1_fixtures import V1Platform, platform
from tests.simulator_fixtures import SimulatorHandle, png_dimensions

simulator_session, simulator, platform = fx.simulator_session, fx.simulator, platform
IMAGE_MODEL = "google/gemini-2.5-flash-image"


def test_an_image_as_base64_with_the_size_as_an_aspect_ratio(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    answer = platform.client(token).images.generate(
        model=IMAGE_MODEL, prompt="A red fox", size="1792x1024", response_format="b64_json"
    )
    [image] = answer.data
    assert image.b64_json is not None and image.url is None
    width, height = png_dimensions(image.b64_json)
    assert width > height
    [sent] = simulator.requests("/chat/completions")
    assert sent["json"]["image_config"] == {"aspect_ratio": "16:9"}
    [kept] = platform.history(token)
    assert (kept["kind"], kept["status"]) == ("image", "succeeded")
    assert base64.b64decode(image.b64_json)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_image_as_a_url_of_this_api_fetched_with_the_same_bearer(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    answer = platform.client(token).images.generate(
        model=IMAGE_MODEL, prompt="A blue whale", size="1024x1024", response_format="url"
    )
    [image] = answer.data
    assert image.url is not None and image.b64_json is None
    assert image.url.startswith(f"{platform.api.url}/media/")
    fetched = httpx.get(image.url, headers={"Authorization": f"Bearer {token}"})
    assert fetched.status_code == 200 and fetched.content[:4] == b"\x89PNG"
    assert simulator.requests("/chat/completions")[0]["json"]["image_config"] == {
        "aspect_ratio": "1:1"
    }
    assert httpx.get(image.url).status_code == 401  # not public: the owner's media


def test_the_models_are_the_text_models_of_the_catalogue_in_openai_s_list(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    models = list(platform.client(token).models.list())
    ids = {model.id for model in models}
    assert "openai/gpt-4o-mini" in ids and "black-forest-labs/flux.2-pro" not in ids
    mini = next(model for model in models if model.id == "openai/gpt-4o-mini")
    assert (mini.object, mini.owned_by) == ("model", "openai")
    assert mini.created > 0
    raw = httpx.get(f"{platform.base_url}/models", headers={"Authorization": f"Bearer {token}"})
    assert raw.json()["object"] == "list"
