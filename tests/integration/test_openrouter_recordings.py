"""OpenRouterGateway on real OpenRouter answers, replayed verbatim from a loopback server:
text, streams (split across reads, with keep-alive comments), images and model listings."""

from __future__ import annotations

import json

import pytest

from adapters.openrouter.payloads import decode_image
from adapters.openrouter.sse import SSEDecoder
from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import ImageRequest, TextResult
from tests.integration.replay_server import (  # noqa: F401 (fixtures)
    ASK,
    KEY,
    RECORDINGS,
    Replay,
    events,
    no_key_in_logs,
    png_size,
    raw,
    recorded,
    replay,
    run,
)

IMAGE_STREAM = "image-stream-pydanticai-gemini25-flash-image.sse"


@pytest.mark.parametrize("name", recorded("chat-nonstream-*.json"))
async def test_recorded_answer_gives_text_usage_and_who_served(replay: Replay, name: str) -> None:
    replay.serve(name)
    body = json.loads(raw(name))
    choice, usage = body["choices"][0], body["usage"]
    result = await replay.make().complete_text(ASK)
    assert result.text == (choice["message"]["content"] or "")
    assert result.finish_reason == choice["finish_reason"]
    served = result.served
    assert [served.model, served.provider, served.upstream_id] == [
        body["model"],
        body["provider"],
        body["id"],
    ]
    counts = ("prompt_tokens", "completion_tokens", "total_tokens")
    assert [getattr(served.usage, count) for count in counts] == [usage[c] for c in counts]
    assert served.usage.cost == pytest.approx(usage.get("cost") or 0.0)
    head = replay.requests[0].decode()
    assert head.startswith("POST /api/v1/chat/completions ") and f"Bearer {KEY}" in head


STREAMS = [n for n in recorded("chat-stream-*.sse") if not str(n).endswith("midstream-error.sse")]


@pytest.mark.parametrize("name", STREAMS)
async def test_recorded_stream_gives_each_delta_then_the_usage(replay: Replay, name: str) -> None:
    replay.serve(name, piece=37)  # events and UTF-8 characters split across reads
    chunks = events(name)
    texts = [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]
    usage = next(c["usage"] for c in reversed(chunks) if c.get("usage"))
    finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    deltas, result = await run(replay.make().stream_text(ASK))
    assert deltas == [text for text in texts if text]
    assert isinstance(result, TextResult) and result.text == "".join(deltas)
    assert result.finish_reason == [f for f in finish if f][-1]
    assert [result.served.model, result.served.upstream_id] == [chunks[0]["model"], chunks[0]["id"]]
    assert result.served.usage.completion_tokens == usage["completion_tokens"]
    assert result.served.usage.cost == pytest.approx(usage["cost"])


async def test_keep_alive_comments_reset_the_idle_timer(replay: Replay) -> None:
    """Five recorded comments 0.2 s apart: 1 s before the first token, idle limit 0.5 s."""
    replay.serve("chat-stream-rubyllm-haiku45.sse", pause_s=0.2)
    gateway = replay.make(stream_idle_timeout_s=0.5)
    deltas, result = await run(gateway.stream_text(ASK))
    assert isinstance(result, TextResult) and result.text == "1\n2\n3" == "".join(deltas)
    replay.pause_s = 0.8  # now a silence longer than the limit
    deltas, error = await run(gateway.stream_text(ASK))
    assert deltas == [] and getattr(error, "code", None) == "upstream_timeout"


async def test_recorded_chat_image_is_decoded(replay: Replay) -> None:
    name = "image-pydanticai-gemini25-flash-image.json"
    replay.serve(name)
    body = json.loads(raw(name))
    request = ImageRequest("google/gemini-2.5-flash-image", "A cat")
    result = await replay.make().generate_image(request)
    [image] = result.images
    assert image.content_type == "image/png" and png_size(image.data) == (1024, 1024)
    assert result.text == body["choices"][0]["message"]["content"]
    assert result.served.model == body["model"] and result.served.provider == "Google AI Studio"
    assert result.served.usage.cost == pytest.approx(body["usage"]["cost"])
    replay.serve("image-endpoint-rubyllm-gemini31-flash-lite.json")
    _, error = await run(replay.make().generate_image(request))
    # `/images` answers `data[].b64_json`; in place of a chat answer it is a bad response
    assert isinstance(error, Unavailable) and error.reason == "bad_response"


def test_a_streamed_image_on_one_huge_line_is_reassembled() -> None:
    """The recorded PNG arrives as one ~1.9 MB `data:` line (SOURCES.md), read in 64 KB."""
    if not (RECORDINGS / IMAGE_STREAM).is_file():
        pytest.skip(f"recording missing: {RECORDINGS / IMAGE_STREAM}")
    body, decoder, size = raw(IMAGE_STREAM), SSEDecoder(8 << 20), 1 << 16
    payloads = [p for at in range(0, len(body), size) for p in decoder.feed(body[at : at + size])]
    assert payloads[-1] == "[DONE]" and len(payloads) == len(events(IMAGE_STREAM)) + 1
    chunks = [json.loads(payload) for payload in payloads[:-1]]
    images = [i for c in chunks if c["choices"] for i in c["choices"][0]["delta"].get("images", [])]
    assert len(images) == 1 and len(payloads[0]) + len(payloads[1]) > 1_000_000
    assert png_size(decode_image(images[0]).data) == (1248, 832)  # aspect_ratio 3:2


@pytest.mark.parametrize("name", recorded("models-*.json"))
async def test_recorded_model_listings_become_model_infos(replay: Replay, name: str) -> None:
    replay.serve(name)
    entries = json.loads(raw(name))["data"]
    models = await replay.make().list_models("text")
    assert [model.id for model in models] == [entry["id"] for entry in entries]
    for model, entry in zip(models, entries, strict=True):
        arch = entry["architecture"]
        assert model.name == entry["name"] and model.context_length == entry["context_length"]
        assert model.input_modalities == tuple(arch["input_modalities"])
        assert model.output_modalities == tuple(arch["output_modalities"])
        assert model.pricing == {k: v for k, v in entry["pricing"].items() if isinstance(v, str)}
    assert replay.requests[0].startswith(b"GET /api/v1/models?output_modalities=text ")


async def test_a_malformed_model_entry_is_skipped_not_fatal(replay: Replay) -> None:
    replay.serve("models-llm-openrouter-2026-08-filtered.json")
    listing = json.loads(replay.body)
    listing["data"] += [
        {"name": "no id"},
        "junk",
        {"id": "x/y", "architecture": None, "pricing": None},
    ]
    replay.body = json.dumps(listing).encode()
    models = await replay.make().list_models("text")
    assert len(models) == len(listing["data"]) - 2
    assert models[-1].input_modalities == () and models[-1].pricing is None
    assert models[-1].context_length is None and models[-1].name == "x/y"
