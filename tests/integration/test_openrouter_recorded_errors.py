"""OpenRouterGateway on real OpenRouter failures, replayed verbatim from a loopback server:
recorded error bodies, a mid-stream error, a cut stream, a refused connection."""

from __future__ import annotations

import json
import socket

import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import TextResult
from tests.integration.replay_server import (  # noqa: F401 (fixtures)
    ASK,
    KEY,
    Replay,
    no_key_in_logs,
    raw,
    recorded,
    replay,
    run,
)

# The reason each recorded error status maps to (security.md #34, openrouter.md §6).
REASONS = {
    400: "bad_request",
    401: "provider_down",
    402: "out_of_credits",
    404: "bad_request",
    429: "rate_limited",
}


async def test_recorded_midstream_error_fails_the_stream(replay: Replay) -> None:
    replay.serve("chat-stream-pydanticai-midstream-error.sse", piece=64)
    deltas, error = await run(replay.make().stream_text(ASK))
    assert deltas == []  # the recorded deltas carry reasoning only
    assert isinstance(error, Unavailable) and error.reason == "bad_request"
    assert "Token limit reached" in str(error)


CUTS = [
    (b'"finish_reason":"stop","native_finish_reason":"end_turn"}],"usage"', "1\n2\n3"),
    (b'"content":"1', None),
]


@pytest.mark.parametrize(("marker", "text"), CUTS)
async def test_a_cut_stream_keeps_its_text(replay: Replay, marker: bytes, text: str | None) -> None:
    """Closed mid-event (no usage, no [DONE]): the text already received is the answer,
    with zero usage; with no text at all, the stream counts as broken."""
    replay.serve("chat-stream-rubyllm-haiku45.sse")
    replay.body = replay.body[: replay.body.index(marker)]
    deltas, result = await run(replay.make().stream_text(ASK))
    if text is not None:
        assert isinstance(result, TextResult) and result.text == text == "".join(deltas)
        assert result.served.usage.total_tokens == 0 and result.finish_reason == "stop"
    else:
        assert isinstance(result, Unavailable) and result.reason == "bad_response"


@pytest.mark.parametrize("name", recorded("error-*.json"))
async def test_recorded_errors_map_to_ours(replay: Replay, name: str) -> None:
    status, retry_after = int(name.split("-")[1]), "retry-after" in name
    replay.serve(name, status, headers={"Retry-After": "1"} if retry_after else {})
    upstream = json.loads(raw(name))["error"]["message"]
    _, error = await run(replay.make().complete_text(ASK))
    assert isinstance(error, Unavailable) and error.reason == REASONS[status]
    assert error.retry_after_s == (1 if retry_after else 0) and len(replay.requests) == 1
    assert "user_" not in str(error)  # OpenRouter's id of our account stays ours
    if status in (400, 404):  # the upstream reason helps the user fix the request
        assert upstream[:40] in str(error)
    else:  # key, credits and rate limits: ours, in our words (security.md #34)
        assert upstream not in str(error) and "openrouter.ai" not in str(error)


@pytest.mark.parametrize("streamed", [False, True])
async def test_a_200_that_holds_only_an_error_is_a_failure(replay: Replay, streamed: bool) -> None:
    """Errors after processing started come back as HTTP 200 (openrouter.md §6, §8.3)."""
    replay.serve("error-429-pydanticai-gemini-free-upstream.json", 200)
    gateway = replay.make()
    deltas, error = await run(gateway.stream_text(ASK) if streamed else gateway.complete_text(ASK))
    assert deltas == [] and isinstance(error, Unavailable) and error.reason == "rate_limited"


async def test_refused_connections_are_retried(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    async with make_http_client(connect_s=2) as client:
        gw = OpenRouterGateway(client, f"http://127.0.0.1:{port}/api/v1", KEY, retry_base_s=0.01)
        _, error = await run(gw.complete_text(ASK))
    assert isinstance(error, Unavailable) and error.reason == "provider_down"
    ours = [r.getMessage() for r in caplog.records if r.name == "allucanget.openrouter"]
    line = "openrouter POST /chat/completions status=ConnectError attempt={} duration_ms"
    assert [m.rsplit("=", 1)[0] for m in ours] == [line.format(n) for n in (1, 2, 3)]
