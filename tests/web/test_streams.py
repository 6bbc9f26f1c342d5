"""streams.py and the generation calls of api_client.py (stand-in and mock transports)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from entrypoints.web.api_client import ApiClient, ApiProblem, ApiUnavailableError
from entrypoints.web.streams import SseEvent, format_event, parse_events
from tests.web.conftest import PASSWORD, FakeApi, problem


def token(api_client: ApiClient, fake_api: FakeApi) -> str:
    fake_api.add_user("ada@example.com")
    return api_client.login("ada@example.com", PASSWORD, None)["access_token"]


def test_events_are_parsed_across_comments_and_multi_line_data() -> None:
    lines = [
        ": keep-alive",
        "",
        "event: delta",
        'data: {"text":',
        'data: "Hi"}',
        "",
        "data: {}",
        "",
    ]

    assert list(parse_events(lines)) == [SseEvent("delta", {"text": "Hi"}), SseEvent("message", {})]


def test_an_event_cut_off_by_the_end_of_the_stream_is_dropped() -> None:
    assert list(parse_events(["event: delta", 'data: {"text": "Hi"}'])) == []


def test_events_round_trip_and_newlines_stay_inside_the_json() -> None:
    encoded = format_event("delta", {"text": "a\n\nb"}).decode()

    assert encoded == 'event: delta\ndata: {"text":"a\\n\\nb"}\n\n'
    assert list(parse_events(encoded.split("\n"))) == [SseEvent("delta", {"text": "a\n\nb"})]


def test_stream_text_yields_events_as_they_come(api_client: ApiClient, fake_api: FakeApi) -> None:
    access = token(api_client, fake_api)

    with api_client.stream_text(access, {"prompt": "Hi", "model": "a/b"}) as stream:
        names = [event.name for event in stream]

    assert names == ["delta"] * 6 + ["done"]


def test_a_problem_before_the_stream_starts_is_raised_at_once(
    api_client: ApiClient, fake_api: FakeApi
) -> None:
    access = token(api_client, fake_api)
    fake_api.forced["/generate/text/stream"] = problem(
        503, "upstream_unavailable", reason="rate_limited", retry_after=9
    )

    with pytest.raises(ApiProblem) as caught:
        api_client.stream_text(access, {"prompt": "Hi", "model": "a/b"})

    assert (caught.value.code, caught.value.reason, caught.value.retry_after) == (
        "upstream_unavailable",
        "rate_limited",
        9,
    )


def test_a_stream_that_breaks_off_becomes_api_unavailable() -> None:
    def broken() -> Iterator[bytes]:
        yield b'event: delta\ndata: {"text":"Hi"}\n\n'
        raise httpx.ReadError("connection reset")

    def answer(_request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=_Body(broken()))

    client = ApiClient("http://api", transport=httpx.MockTransport(answer))
    stream = client.stream_text("at", {"prompt": "Hi", "model": "a/b"})
    events = iter(stream)

    assert next(events).data == {"text": "Hi"}
    with pytest.raises(ApiUnavailableError):
        next(events)
    stream.close()


def test_history_calls_send_only_the_filters_given(
    api_client: ApiClient, fake_api: FakeApi
) -> None:
    access = token(api_client, fake_api)
    fake_api.gen.add("image")

    page = api_client.generations(access, kind="image", cursor=None, limit=5)
    api_client.delete_generation(access, "g1")

    assert [item["id"] for item in page["data"]] == ["g1"]
    assert "GET /generations?limit=5&kind=image" in fake_api.calls
    assert fake_api.gen.items == []


class _Body(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
