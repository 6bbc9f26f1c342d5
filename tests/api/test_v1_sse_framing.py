"""The streamed chat completion byte for byte, as `curl -N` sees it: `data: <json>` events
separated by a blank line, no `event:` names, `data: [DONE]` last; a failure mid-stream is
one `data: {"error": ...}` event and no `[DONE]`."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests import simulator_fixtures as fx
from tests.api.v1_fixtures import V1Platform, platform
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator, platform = fx.simulator_session, fx.simulator, platform


def raw_stream(platform: V1Platform, token: str, body: dict[str, Any]) -> httpx.Response:
    url = f"{platform.base_url}/chat/completions"
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream("POST", url, json=body, headers=headers, timeout=20) as response:
        response.read()
    return response


def test_the_stream_is_data_events_then_done(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    body = {
        "model": "openai/gpt-4o-mini",
        "messages": [{"role": "user", "content": "Count [[sim:tokens=4]]"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    response = raw_stream(platform, token, body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    text = response.text
    assert text.endswith("\n\ndata: [DONE]\n\n")
    events = text.removesuffix("\n\n").split("\n\n")
    assert all(event.startswith("data: ") and "\n" not in event for event in events)
    chunks = [json.loads(event.removeprefix("data: ")) for event in events[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    words = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[1:-2])
    assert len(words.split()) == 4


def test_a_failure_mid_stream_is_an_error_event_without_done(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    body = {
        "model": "openai/gpt-4o-mini",
        "messages": [
            {"role": "user", "content": "Go [[sim:tokens=30]] [[sim:fault=drop_mid_stream]]"}
        ],
        "stream": True,
    }
    response = raw_stream(platform, token, body)
    assert response.status_code == 200
    events = response.text.removesuffix("\n\n").split("\n\n")
    assert "[DONE]" not in response.text
    last = json.loads(events[-1].removeprefix("data: "))
    assert last["error"]["type"] == "api_error"
    assert last["error"]["code"] == "upstream_unavailable"
    [kept] = platform.history(token)
    assert kept["status"] == "failed"
