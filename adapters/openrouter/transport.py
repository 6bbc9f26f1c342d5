"""httpx on aiohttp's connection pool, with the failures httpx itself would report.

httpx-aiohttp maps aiohttp's errors coarsely (a refused connection and a dropped one both
become ConnectTimeout) and lets some through unmapped; the retry policy and the error
mapping depend on the difference (openrouter.md §8.5), so each is translated here from the
aiohttp exception that caused it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

_FAILURES = (httpx.HTTPError, aiohttp.ClientError, asyncio.TimeoutError)
_TRANSLATION: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (asyncio.TimeoutError, httpx.ReadTimeout),  # aiohttp's socket and server read timeouts
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, unreachable, DNS
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),  # dropped before the answer
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # body cut off mid-way
    (aiohttp.ClientError, httpx.RemoteProtocolError),  # malformed HTTP and the rest
)


def translate(exc: BaseException, request: httpx.Request) -> httpx.HTTPError:
    cause = exc.__cause__ if isinstance(exc, httpx.HTTPError) and exc.__cause__ else exc
    for kind, target in _TRANSLATION:
        if isinstance(cause, kind):
            return target(str(cause) or type(cause).__name__, request=request)
    if isinstance(exc, httpx.HTTPError):
        return exc
    return httpx.RemoteProtocolError(type(exc).__name__, request=request)


class _Stream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner, self._request = inner, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except _FAILURES as exc:
            raise translate(exc, self._request) from exc

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except _FAILURES as exc:
            raise translate(exc, self._request) from exc


def environment_matters() -> bool:
    """Whether the environment names a proxy or a netrc file. aiohttp's `trust_env` looks
    both up again on every request, in two thread-pool hops (about 5 % of a generation's
    time on the API's core); without either there is nothing to find, so it is asked once."""
    if any(name.lower().endswith("_proxy") and os.environ[name] for name in os.environ):
        return True
    if os.environ.get("NETRC"):
        return True
    try:
        return (Path.home() / ".netrc").exists()
    except (RuntimeError, OSError):  # no home directory: nothing to read there
        return False


class AiohttpPoolTransport(AiohttpTransport):
    def get_client(self) -> aiohttp.ClientSession:
        """As httpx did: HTTPS_PROXY / NO_PROXY from the environment are honoured."""
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
        )
        return aiohttp.ClientSession(connector=connector, trust_env=environment_matters())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except _FAILURES as exc:
            raise translate(exc, request) from exc
        response.stream = _Stream(response.stream, request)  # type: ignore[arg-type]
        return response
