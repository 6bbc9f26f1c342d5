"""API answers read as they arrive: the text stream's server-sent events, and media bytes."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from entrypoints.web.api_errors import ApiProblem, ApiUnavailableError

LOST = "the API stream broke off"


@dataclass(frozen=True, slots=True)
class SseEvent:
    name: str
    data: dict[str, Any]


def open_stream(
    client: httpx.Client,
    method: str,
    path: str,
    *,
    timeout: httpx.Timeout,
    json_body: Mapping[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    relayed: Collection[int] = (),
) -> tuple[httpx.Response, ExitStack]:
    """Send the request and read the status line; a problem is raised before any body is read,
    unless its status is one the caller relays as it is (`relayed`)."""
    stack = ExitStack()
    try:
        response = stack.enter_context(
            client.stream(method, path, json=json_body, headers=headers, timeout=timeout)
        )
        if not response.is_success and response.status_code not in relayed:
            response.read()
            raise ApiProblem.from_response(response)
    except httpx.TransportError as exc:
        stack.close()
        raise ApiUnavailableError(type(exc).__name__) from exc
    except BaseException:
        stack.close()
        raise
    return response, stack


class _Streamed:
    """An open response; close it (or use `with`) to give the connection back."""

    def __init__(self, response: httpx.Response, stack: ExitStack) -> None:
        self._response = response
        self._stack = stack

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class EventStream(_Streamed):
    """The `delta` … `done` | `error` events of POST /generate/text/stream, one at a time."""

    def __iter__(self) -> Iterator[SseEvent]:
        try:
            yield from parse_events(self._response.iter_lines())
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise ApiUnavailableError(LOST) from exc


class ByteStream(_Streamed):
    """The bytes of GET /media/{id}, with the status, type and length the API gave them."""

    @property
    def status_code(self) -> int:
        return self._response.status_code

    def header(self, name: str) -> str | None:
        value = self._response.headers.get(name)
        return None if value is None else str(value)

    @property
    def content_type(self) -> str:
        return str(self._response.headers.get("Content-Type", "application/octet-stream"))

    @property
    def content_length(self) -> str | None:
        """The length of the decoded bytes, when the API said it (and did not compress)."""
        headers = self._response.headers
        length = headers.get("Content-Length")
        return None if length is None or "Content-Encoding" in headers else str(length)

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_bytes()
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise ApiUnavailableError(LOST) from exc


def parse_events(lines: Iterable[str]) -> Iterator[SseEvent]:
    """Events of a text/event-stream (WHATWG HTML §9.2.6); comments are skipped, and an
    event cut off by the end of the stream is dropped."""
    name, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield _event(name, data)
            name, data = "message", list[str]()
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)


def _event(name: str, data: list[str]) -> SseEvent:
    try:
        payload = json.loads("\n".join(data))
    except ValueError as exc:
        raise ApiUnavailableError("a stream event that is not JSON") from exc
    if not isinstance(payload, dict):
        raise ApiUnavailableError("a stream event that is not a JSON object")
    return SseEvent(name, payload)


def format_event(name: str, data: Mapping[str, Any]) -> bytes:
    """One event; compact JSON on one line (json.dumps escapes any newline in the text)."""
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()
