"""No signed URL in any log (security.md #44): httpx and friends log full URLs at INFO."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.openrouter.gateway import make_http_client
from adapters.openrouter.video import OpenRouterVideoGateway
from entrypoints.logs import configure_logging
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle as Sim

simulator_session, simulator = fx.simulator_session, fx.simulator
SIGNED = "https://cdn.test/v.mp4?X-Amz-Credential=AKIDEXAMPLE&X-Amz-Signature=c0ffee5157"


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """What the API's own logging set-up writes, at its most talkative level."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "aiohttp")}
    configure_logging("DEBUG")
    written = io.StringIO()
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)
    yield written
    root.handlers[:], root.level = handlers, level
    for name, was in chatty.items():
        logging.getLogger(name).setLevel(was)


async def test_a_signed_download_url_never_reaches_the_log(
    debug_log: io.StringIO, tmp_path: Path
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "openrouter.test":
            return httpx.Response(302, headers={"location": SIGNED})
        return httpx.Response(200, content=b"\x00\x00\x00\x18ftypisom")

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        gateway = OpenRouterVideoGateway(
            http, "https://openrouter.test/api/v1", "sk-or-v1-t", spool_dir=tmp_path
        )
        await gateway.download_video("abc", ())
        await http.get(SIGNED)  # httpx's own "HTTP Request: GET <url>" line, at INFO
    logging.getLogger("allucanget.test").info("fetched %s", SIGNED, extra={"url": SIGNED})
    logged = debug_log.getvalue()
    assert "fetched https://cdn.test/v.mp4?[query removed]" in logged  # logging did run
    assert "openrouter GET cdn.test/v.mp4 status=200" in logged
    assert "c0ffee5157" not in logged and "AKIDEXAMPLE" not in logged


async def test_the_real_transport_logs_no_query_either(
    simulator: Sim, debug_log: io.StringIO
) -> None:
    http = make_http_client(connect_s=2, read_s=2, write_s=2, pool_s=2)
    try:
        response = await http.get(f"{simulator.origin}/__sim/health?token=s3cr3t-query-value")
    finally:
        await http.aclose()
    assert response.status_code == 200
    assert "s3cr3t-query-value" not in debug_log.getvalue()
