"""Sending to OpenRouter: retries before the answer starts, logging, bounded body reads."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from adapters.openrouter.client import RetryPolicy
from adapters.openrouter.errors import (
    RETRYABLE_STATUSES,
    bad_response,
    retry_after_s,
    transport_error,
    upstream_error,
)
from adapters.openrouter.timing import upstream_wait
from application.errors import UpstreamTimeoutError
from domain.errors import Error

T = TypeVar("T")
log = logging.getLogger("allucanget.openrouter")
MAX_ERROR_BODY = 64 * 1024
# A body past this is parsed (json.loads, base64) in a worker thread, not on the event loop:
# a 64 MiB answer (the cap) held the loop for ~0.75 s here (json.loads 250 ms, base64 490 ms).
OFF_LOOP_BYTES = 1024 * 1024
# Failures before any response header arrived; the official SDKs retry these (§6). A read
# timeout is not among them: the model may be working (and billing) on the first attempt.
_RETRYABLE_TRANSPORT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class _Failed:
    error: Error
    retryable: bool
    retry_after: float | None = None


class Upstream:
    """One configured OpenRouter origin. Holds the Authorization header, which goes nowhere
    but `base_url` and is never logged (security.md #16): log lines carry method, path,
    status, attempt and duration only."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        headers: dict[str, str],
        policy: RetryPolicy,
        secret: str,
    ) -> None:
        self._client, self._base = client, base_url.rstrip("/")
        self._headers, self._policy, self._secret = headers, policy, secret

    def __repr__(self) -> str:
        return f"Upstream(base_url={self._base!r})"

    async def open(
        self, method: str, path: str, *, body: Any = None, params: dict[str, str] | None = None
    ) -> httpx.Response:
        """A 2xx response whose body is still unread (the caller closes it). Failures before
        that are retried by the policy; nothing after it is, since output may be billed."""
        attempt = 0
        while True:
            attempt += 1
            request = self._client.build_request(
                method, self._base + path, json=body, params=params, headers=self._headers
            )
            outcome = await self._attempt(request, path, attempt)
            if isinstance(outcome, httpx.Response):
                return outcome
            wait = self._policy.wait_s(attempt, outcome.retry_after) if outcome.retryable else None
            if wait is None:
                raise outcome.error
            with upstream_wait():
                await asyncio.sleep(wait)

    async def _attempt(
        self, request: httpx.Request, path: str, attempt: int
    ) -> httpx.Response | _Failed:
        started = time.monotonic()
        try:
            with upstream_wait():
                response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            self._log(request.method, path, type(exc).__name__, attempt, started)
            return _Failed(transport_error(exc), isinstance(exc, _RETRYABLE_TRANSPORT))
        self._log(request.method, path, str(response.status_code), attempt, started)
        if response.is_success:
            return response
        status, payload = response.status_code, await _error_payload(response)
        wait = retry_after_s(response.headers, payload)
        error = upstream_error(status, payload, retry_after_s=wait, secret=self._secret)
        # openrouter.md §6: a 402 with Retry-After is a passing in-flight budget, not debt.
        retryable = status in RETRYABLE_STATUSES or (
            status == 402 and "retry-after" in response.headers
        )
        return _Failed(error, retryable, wait)

    @staticmethod
    def _log(method: str, path: str, status: str, attempt: int, started: float) -> None:
        duration_ms = round((time.monotonic() - started) * 1000)
        log.info(
            "openrouter %s %s status=%s attempt=%d duration_ms=%d",
            method,
            path,
            status,
            attempt,
            duration_ms,
        )


async def _error_payload(response: httpx.Response) -> Any:
    """The parsed JSON of an error answer, or None (HTML, text, cut off, too big)."""
    try:
        return json.loads(await read_body(response, MAX_ERROR_BODY))
    except (Error, ValueError):
        return None


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """The whole body, refused past `limit` bytes; always closes the response."""
    data = bytearray()
    try:
        with upstream_wait():
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    raise bad_response("OpenRouter sent a larger answer than this server accepts.")
    except httpx.HTTPError as exc:
        log.warning("openrouter body read failed: %s", type(exc).__name__)
        raise transport_error(exc, answering=True) from exc
    finally:
        await response.aclose()
    return bytes(data)


@asynccontextmanager
async def deadline(seconds: float) -> AsyncIterator[None]:
    """A total time for everything inside (connecting, retries, every byte of the body), so
    that a server trickling bytes cannot hold a request past it, as a per-read timeout that
    any byte resets would; past it the call is cancelled and answered 504 upstream_timeout."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        log.warning("openrouter call passed its deadline of %.1f s", seconds)
        raise UpstreamTimeoutError(
            f"OpenRouter did not finish answering within {seconds:g} s."
        ) from exc


async def off_loop(raw: bytes, parse: Callable[[bytes], T]) -> T:
    """`parse(raw)`, in a worker thread when the body is large, so the loop keeps serving."""
    if len(raw) <= OFF_LOOP_BYTES:
        return parse(raw)
    return await asyncio.to_thread(parse, raw)


async def next_chunk(
    reader: AsyncIterator[bytes], idle_s: float, ends_at: float | None = None
) -> bytes | None:
    """The next bytes of a stream, or None at its end. Any bytes, keep-alive comments too,
    reset the idle timer (openrouter.md §8.4); none extend the total deadline `ends_at`
    (a time.monotonic() value)."""
    left = idle_s if ends_at is None else min(idle_s, ends_at - time.monotonic())
    try:
        with upstream_wait():
            async with asyncio.timeout(max(left, 0.0)):
                return await anext(reader, None)
    except TimeoutError as exc:
        if left < idle_s:
            log.warning("openrouter stream passed its deadline")
            raise UpstreamTimeoutError("OpenRouter did not finish the answer in time.") from exc
        log.warning("openrouter stream idle for more than %.1f s", idle_s)
        raise UpstreamTimeoutError(
            "OpenRouter stopped sending in the middle of the answer."
        ) from exc
    except httpx.HTTPError as exc:
        log.warning("openrouter stream read failed: %s", type(exc).__name__)
        raise transport_error(exc, answering=True) from exc
