"""OpenRouterGateway against the loopback simulator: answers, every fault, retries, the key."""

from __future__ import annotations

import base64
import logging
import time
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from application.errors import ProviderNotConfiguredError as NotConfigured
from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import ImageRequest, TextDelta, TextRequest, TextResult
from domain.errors import Error
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle as Sim

simulator_session, simulator = fx.simulator_session, fx.simulator
CHAT = "/chat/completions"
WRONG_KEY = "sk-or-v1-not-the-simulator-key-0123456789"
SECRETS = (fx.TEST_CONFIG.api_key, WRONG_KEY)


@pytest.fixture(autouse=True)
def no_key_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """security.md #16: whatever a test does, no log line (ours, httpx's) holds a key."""
    caplog.set_level(logging.DEBUG)
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in records) + caplog.text
    assert not any(secret in logged for secret in SECRETS)


@dataclass
class World:
    """The simulator, and gateways on it (each with its own client, closed after the test)."""

    sim: Sim
    clients: AsyncExitStack

    def gateway(self, read_s: float = 2, **options: Any) -> OpenRouterGateway:
        http = make_http_client(connect_s=2, read_s=read_s, write_s=2, pool_s=2)
        self.clients.push_async_callback(http.aclose)
        settings: dict[str, Any] = {"retry_base_s": 0.01, "retry_max_wait_s": 0.5}
        settings |= {"stream_idle_timeout_s": 2.0, **options}
        key = settings.pop("api_key", self.sim.api_key)
        return OpenRouterGateway(http, settings.pop("base_url", self.sim.base_url), key, **settings)

    def attempts(self, path: str = CHAT) -> int:
        return len(self.sim.requests(path))


@pytest.fixture
async def world(simulator: Sim) -> AsyncIterator[World]:
    async with AsyncExitStack() as clients:
        yield World(simulator, clients)


def ask(prompt: str = "Hi", model: str = "openai/gpt-4o", **fields: Any) -> TextRequest:
    return TextRequest(model, prompt, fields.pop("max_tokens", 40), **fields)


def faulty(fault: str) -> TextRequest:
    return ask(f"Tell me a story [[sim:fault={fault}]]")


def assert_clean(error: BaseException) -> None:
    """No key in the message, the repr, or the whole chained traceback."""
    text = "".join(traceback.format_exception(error)) + repr(error) + str(error)
    assert not any(secret in text for secret in SECRETS)


async def failure(call: Any) -> Error:
    try:
        await call
    except Error as error:
        assert_clean(error)
        return error
    raise AssertionError("no error raised")


async def collect(stream: AsyncIterator[Any]) -> tuple[list[str], Error | TextResult]:
    """(delta texts, then the final TextResult or the raised error)."""
    deltas: list[str] = []
    try:
        async for event in stream:
            if isinstance(event, TextResult):
                return deltas, event
            assert isinstance(event, TextDelta) and event.text
            deltas.append(event.text)
    except Error as error:
        assert_clean(error)
        return deltas, error
    raise AssertionError("the stream ended without a TextResult")


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


# (fault, outcome, retry_after_s, attempts). Retries: 2, backoff 10 ms, Retry-After honoured
# up to 0.5 s; the simulator says 1 s, so those give up at once and pass the wait on. Reads
# time out at 0.6 s: well before the slow headers (1.5 s here) and the stall (2 s) end.
FAULTS = [
    ("400_context", "bad_request", 0, 1),
    ("401", "provider_down", 0, 1),
    ("402", "out_of_credits", 0, 1),
    ("402_balance", "out_of_credits", 0, 1),
    ("402_image", "out_of_credits", 0, 1),
    ("402_in_flight", "out_of_credits", 1, 1),
    ("403", "upstream_rejected", 0, 1),
    ("408", "upstream_timeout", 0, 3),
    ("429", "rate_limited", 1, 1),
    ("429_upstream", "rate_limited", 1, 1),
    ("429_no_retry_after", "rate_limited", 0, 3),
    ("500", "provider_down", 0, 3),
    ("502", "provider_down", 0, 3),
    ("503", "provider_down", 1, 1),
    ("524", "provider_down", 0, 3),
    ("529", "provider_down", 0, 3),
    ("flaky:3:500", "provider_down", 0, 3),
    ("drop_connection", "provider_down", 0, 3),
    ("drop_mid_stream", "provider_down", 0, 1),
    ("html_502", "provider_down", 0, 3),
    ("text_plain", "provider_down", 0, 3),
    ("html_200", "bad_response", 0, 1),
    ("malformed_json", "bad_response", 0, 1),
    ("empty_200", "bad_response", 0, 1),
    ("error_200", "provider_down", 0, 1),
    ("empty_choices", "bad_response", 0, 1),
    ("empty_content", "bad_response", 0, 1),
    ("choice_error", "provider_down", 0, 1),
    ("content_filter", "upstream_rejected", 0, 1),
    ("slow_headers:1500", "upstream_timeout", 0, 1),
    ("stall_stream", "upstream_timeout", 0, 1),
]


@pytest.mark.parametrize("case", FAULTS, ids=[case[0] for case in FAULTS])
async def test_each_fault_becomes_our_error_after_the_right_attempts(
    world: World, case: Any
) -> None:
    fault, expected, retry_after, tries = case
    error = await failure(world.gateway(0.6).complete_text(faulty(fault)))
    assert getattr(error, "reason", error.code) == expected and world.attempts() == tries
    assert getattr(error, "retry_after_s", 0) == retry_after
    assert "story" not in str(error) and "user_2sim" not in str(error)  # no prompt, no user id
    if expected in ("out_of_credits", "provider_down") and fault.startswith("40"):
        assert "ask an admin" in str(error) and "openrouter.ai" not in str(error)
    if fault == "403":  # a short reason, never the flagged input or the provider
        assert "(violence)" in str(error) and "OpenAI" not in str(error)


async def test_an_unknown_model_is_a_bad_request_that_says_why(world: World) -> None:
    error = await failure(world.gateway().complete_text(ask(model="nobody/nothing")))
    assert isinstance(error, Unavailable) and error.reason == "bad_request"
    assert "nobody/nothing is not a valid model ID" in str(error) and world.attempts() == 1
    error = await failure(world.gateway().generate_image(ImageRequest("openai/gpt-4o", "x")))
    assert isinstance(error, Unavailable) and error.reason == "bad_request"  # 404: no image output


RECOVERIES = [  # (fault, attempts until success, least seconds waited: Retry-After honoured)
    ("leading_whitespace", 1, 0),  # blank keep-alive lines before the JSON (§8.2)
    ("flaky:2:500", 3, 0),
    ("flaky:2:502", 3, 0),
    ("flaky:1:408", 2, 0),
    ("flaky:1:524", 2, 0),
    ("flaky:1:drop_connection", 2, 0),
    ("flaky:1:429_no_retry_after", 2, 0),
    ("flaky:1:429", 2, 1),
    ("flaky:1:503", 2, 1),
    ("flaky:1:402_in_flight", 2, 1),
]


@pytest.mark.parametrize("case", RECOVERIES, ids=[case[0] for case in RECOVERIES])
async def test_transient_faults_are_retried_until_success(world: World, case: Any) -> None:
    fault, tries, least_wait_s = case
    started = time.monotonic()
    result = await world.gateway(retry_max_wait_s=2).complete_text(faulty(fault))
    assert result.text.startswith("Simulated reply") and world.attempts() == tries
    assert time.monotonic() - started >= least_wait_s


# (fault, outcome, deltas yielded before it, attempts)
STREAM_FAULTS = [
    ("midstream_error", "provider_down", 3, 1),
    ("midstream_error_string", "provider_down", 3, 1),
    ("midstream_error_length", "bad_request", 3, 1),
    ("choice_error", "provider_down", 3, 1),
    ("content_filter", "upstream_rejected", 3, 1),
    ("drop_mid_stream", "provider_down", 2, 1),
    ("stall_stream", "upstream_timeout", 2, 1),
    ("slow_headers:1500", "upstream_timeout", 0, 1),
    ("empty_choices", "bad_response", 0, 1),
    ("empty_content", "bad_response", 0, 1),
    ("drop_connection", "provider_down", 0, 3),
    ("502", "provider_down", 0, 3),
    ("429", "rate_limited", 0, 1),
    ("403", "upstream_rejected", 0, 1),
    ("402", "out_of_credits", 0, 1),
]


@pytest.mark.parametrize("case", STREAM_FAULTS, ids=[case[0] for case in STREAM_FAULTS])
async def test_each_stream_fault_ends_the_stream_with_our_error(world: World, case: Any) -> None:
    fault, expected, before, tries = case
    gw = world.gateway(0.6, stream_idle_timeout_s=0.6)
    deltas, error = await collect(gw.stream_text(faulty(fault)))
    assert isinstance(error, Error) and getattr(error, "reason", error.code) == expected
    assert len(deltas) == before and world.attempts() == tries


async def test_the_idle_timeout_is_per_chunk_not_per_stream(world: World) -> None:
    """Four chunks 0.25 s apart make a 1 s stream that a 0.6 s idle timeout lets through."""
    world.sim.set_scenario(chunk_delay_ms=250)
    gw = world.gateway(stream_idle_timeout_s=0.6)
    deltas, result = await collect(gw.stream_text(ask("Hi [[sim:tokens=4]]", max_tokens=64)))
    assert isinstance(result, TextResult) and len(deltas) == 4


async def test_a_stream_is_retried_only_before_it_starts(world: World) -> None:
    deltas, result = await collect(world.gateway().stream_text(faulty("flaky:2:502")))
    assert isinstance(result, TextResult) and deltas and world.attempts() == 3
