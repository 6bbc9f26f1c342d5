"""OpenRouterGateway against the loopback simulator: answers, streams, images, models, the key."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from application.errors import ProviderNotConfiguredError as NotConfigured
from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import ImageRequest, TextDelta, TextResult
from tests import simulator_fixtures as fx
from tests.integration.gateway_world import (  # noqa: F401 (fixtures)
    CHAT,
    WRONG_KEY,
    World,
    ask,
    collect,
    failure,
    no_key_in_logs,
    simulator,
    simulator_session,
    world,
)


async def test_text_answer_carries_usage_and_who_served_it(world: World) -> None:
    gw = world.gateway(app_url="https://allucanget.example", app_title="allucanget")
    request = ask(model="anthropic/claude-haiku-4.5", system="Be brief.", temperature=0.3)
    result = await gw.complete_text(request)
    served, usage = result.served, result.served.usage
    assert result.text.startswith("Simulated reply") and served.provider == "Amazon Bedrock"
    assert served.model == "anthropic/claude-4.5-haiku-20251001"  # the dated slug that served
    assert served.upstream_id is not None and served.upstream_id.startswith("gen-")
    assert usage.completion_tokens == len(result.text.split()) and usage.cost > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    [logged] = world.sim.requests(CHAT)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert logged["json"] == {
        "model": "anthropic/claude-haiku-4.5",
        "messages": messages,
        "max_tokens": 40,
        "temperature": 0.3,
    }
    headers = logged["headers"]
    assert logged["auth_matched"] is True and headers["x-openrouter-title"] == "allucanget"
    assert headers["http-referer"] == "https://allucanget.example"


async def test_max_tokens_is_always_sent_and_unset_options_are_not(world: World) -> None:
    gw = world.gateway()
    await gw.complete_text(ask(max_tokens=7))
    await collect(gw.stream_text(ask(max_tokens=9)))
    await gw.generate_image(ImageRequest("google/gemini-2.5-flash-image", "a cat"))
    bodies = [entry["json"] for entry in world.sim.requests(CHAT)]
    assert [body["max_tokens"] for body in bodies] == [7, 9, 4096]
    assert [body.get("stream", False) for body in bodies] == [False, True, False]
    assert all(len(body["messages"]) == 1 and "temperature" not in body for body in bodies)


async def test_stream_hands_on_each_delta_as_it_arrives(world: World) -> None:
    world.sim.set_scenario(chunk_delay_ms=80)
    started, arrivals, deltas = time.monotonic(), [], []
    async for event in world.gateway().stream_text(ask("Go [[sim:tokens=10]]", max_tokens=64)):
        arrivals.append(time.monotonic() - started)
        deltas += [event.text] if isinstance(event, TextDelta) else []
        result = event
    assert len(deltas) == 10 and isinstance(result, TextResult)
    assert arrivals[-1] - arrivals[0] > 0.6  # the first delta came well before the end
    assert result.text == "".join(deltas) and result.finish_reason == "stop"
    assert result.served.usage.completion_tokens == 10 and result.served.provider == "OpenAI"


@pytest.mark.parametrize("style", ["2026", "2025", "docs"])
async def test_stream_usage_is_read_from_each_usage_chunk_shape(world: World, style: str) -> None:
    world.sim.set_scenario(usage_chunk=style)
    deltas, result = await collect(world.gateway().stream_text(ask(max_tokens=10)))
    assert isinstance(result, TextResult) and result.text == "".join(deltas)
    assert result.served.usage.completion_tokens == len(result.text.split()) == 10
    assert result.served.usage.cost > 0 and result.finish_reason == "length"


IMAGES = [  # (model, aspect ratio, modalities sent, PNG size: the nominal size / 16)
    ("google/gemini-2.5-flash-image", "16:9", ["image", "text"], (84, 48)),
    ("google/gemini-3-pro-image-preview", "9:16", ["image", "text"], (48, 84)),
    ("black-forest-labs/flux.2-pro", None, ["image"], (64, 64)),
]


@pytest.mark.parametrize("case", IMAGES)
async def test_images_decode_to_pngs_shaped_by_the_aspect_ratio(world: World, case: Any) -> None:
    model, ratio, modalities, size = case
    result = await world.gateway().generate_image(ImageRequest(model, "A lighthouse", ratio))
    [image] = result.images
    assert image.content_type == "image/png" and image.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert fx.png_dimensions(base64.b64encode(image.data).decode()) == size
    assert result.served.model == model and result.served.usage.cost > 0
    [body] = [entry["json"] for entry in world.sim.requests(CHAT)]
    assert body["modalities"] == modalities
    assert body.get("image_config") == ({"aspect_ratio": ratio} if ratio else None)


@pytest.mark.parametrize("output", ["text", "image", "video"])
async def test_models_are_listed_for_the_asked_output(world: World, output: str) -> None:
    models = await world.gateway().list_models(output)
    assert models and all(output in model.output_modalities for model in models)
    assert all(isinstance(price, str) for m in models for price in (m.pricing or {}).values())
    assert world.sim.requests("/models")[0]["query"] == f"output_modalities={output}"
    assert ("black-forest-labs/flux.2-pro" in {m.id for m in models}) == (output == "image")


async def test_not_configured_raises_before_any_request(world: World) -> None:
    gw, image = world.gateway(api_key=""), ImageRequest("google/gemini-2.5-flash-image", "x")
    for call in (
        gw.complete_text(ask()),
        anext(gw.stream_text(ask())),
        gw.generate_image(image),
        gw.list_models("text"),
    ):
        with pytest.raises(NotConfigured):
            await call
    assert world.sim.requests() == [] and "configured=False" in repr(gw)


async def test_a_refused_key_is_our_problem_and_never_shown(world: World) -> None:
    gw = world.gateway(api_key=WRONG_KEY)
    error = await failure(gw.complete_text(ask()))
    assert isinstance(error, Unavailable) and error.reason == "provider_down"
    assert "User not found" not in str(error) and "ask an admin" in str(error)
    assert world.sim.requests()[0]["auth_matched"] is False and world.attempts() == 1
    with pytest.raises(ValueError, match="cannot be sent in a header") as refused:
        world.gateway(api_key=f"{WRONG_KEY}\r\nX-Injected: 1")  # refused at start-up, not echoed
    assert WRONG_KEY not in repr(gw) + str(refused.value)
