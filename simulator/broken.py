"""Transport-level and malformed-body faults: dropped connections, stalls, HTML, bad JSON."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Send

from simulator.config import SimulatorConfig
from simulator.faults import Fault

ABORT_KEY = "simulator.abort"
DROPPED_KEY = "simulator.dropped"
PADDING = b"\n         \n"  # OpenRouter's keep-alive padding before non-streamed JSON
_TRUNCATED = (
    b'{"id":"gen-0000000000-simulatorTruncated","object":"chat.completion",'
    b'"choices":[{"index":0,"message":{"role":"assist'
)
_HTML = """<!DOCTYPE html>
<html lang="en-US"><head><title>openrouter.ai | 502: Bad gateway</title></head>
<body><div id="cf-wrapper"><h1>Bad gateway <span>Error code 502</span></h1>
<p>The web server reported a bad gateway error.</p>
<p>Cloudflare Ray ID: <strong>8f0000000000simu</strong></p></div></body></html>
"""


def transport_closer(send: Send) -> Callable[[], bool]:
    """A function that closes the client's TCP connection without a (complete) response.

    uvicorn passes the bound `send` of its request cycle, which holds the transport; under
    another server the function returns False and the fault cannot be simulated.
    """

    def close() -> bool:
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is None:
            return False
        transport.close()
        return True

    return close


def abort(request: Request) -> bool:
    request.scope[DROPPED_KEY] = True
    closer = request.scope.get(ABORT_KEY)
    return bool(closer()) if callable(closer) else False


async def drop_connection(request: Request) -> Response:
    if not abort(request):
        raise RuntimeError("drop_connection needs the simulator to run under uvicorn")
    await asyncio.sleep(0.05)  # let uvicorn notice; what follows is discarded
    return Response(b"", status_code=200)


async def slow_headers(fault: Fault, default_ms: int) -> None:
    await asyncio.sleep(fault.arg_int(0, default_ms) / 1000)


def broken_response(fault: Fault) -> Response:
    """The reply for the malformed-body faults; `drop_connection` is handled separately."""
    match fault.name:
        case "malformed_json":
            return Response(_TRUNCATED, 200, media_type="application/json")
        case "html_502":
            return Response(_HTML, 502, media_type="text/html")
        case "html_200":
            return Response(_HTML, 200, media_type="text/html")
        case "text_plain":
            return Response("error code: 502", 502, media_type="text/plain")
        case _:
            return Response(b"", 200, media_type="application/json")


async def _padded(payload: bytes, lines: int, stall_s: float) -> AsyncIterator[bytes]:
    for _ in range(lines):
        yield PADDING
        await asyncio.sleep(0.005)
    if stall_s:
        await asyncio.sleep(stall_s)
    yield payload


async def trickled(
    keepalive: bytes, fault: Fault, settings: SimulatorConfig
) -> AsyncIterator[bytes]:
    """Keep-alive bytes every `trickle_ms` (or the fault's argument) for `trickle_seconds`:
    a client's per-read timeout never fires, only a total deadline ends the wait."""
    every_s = fault.arg_int(0, settings.trickle_ms) / 1000
    ends_at = time.monotonic() + settings.trickle_seconds
    while time.monotonic() < ends_at:
        yield keepalive
        await asyncio.sleep(every_s)


async def _trickled_json(
    payload: bytes, fault: Fault, settings: SimulatorConfig
) -> AsyncIterator[bytes]:
    async for padding in trickled(PADDING, fault, settings):
        yield padding
    yield payload


async def _cut_short(request: Request, payload: bytes) -> AsyncIterator[bytes]:
    yield payload[: len(payload) // 2]
    await asyncio.sleep(0.01)
    abort(request)
    await asyncio.sleep(0.05)  # let uvicorn see the closed connection before the body ends


def shaped_body(
    request: Request,
    fault: Fault | None,
    payload: bytes,
    status: int,
    headers: dict[str, str],
    settings: SimulatorConfig,
) -> Response | None:
    """Deliver a JSON payload slowly or brokenly when a body fault is selected."""
    name = fault.name if fault else None
    media = "application/json"
    if name == "leading_whitespace":
        body = _padded(payload, settings.padding_lines, 0)
        return StreamingResponse(body, status, headers, media_type=media)
    if name == "stall_stream" and fault is not None:
        body = _padded(payload, 1, fault.arg_float(0, settings.stall_seconds))
        return StreamingResponse(body, status, headers, media_type=media)
    if name == "trickle" and fault is not None:
        body = _trickled_json(payload, fault, settings)
        return StreamingResponse(body, status, headers, media_type=media)
    if name == "drop_mid_stream":
        headers = {**headers, "Content-Length": str(len(payload))}
        return StreamingResponse(_cut_short(request, payload), status, headers, media_type=media)
    return None
