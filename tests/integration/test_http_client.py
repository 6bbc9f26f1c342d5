"""The shared OpenRouter client honours the environment's proxy settings, as httpx did."""

from __future__ import annotations

import asyncio

import pytest

from adapters.openrouter.client import make_http_client


async def test_requests_go_through_the_proxy_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = make_http_client()
    try:
        answer = await client.get("http://openrouter.invalid/api/v1/models")
    finally:
        await client.aclose()
        server.close()
    assert answer.status_code == 200 and answer.text == "ok"
    assert seen == [b"GET http://openrouter.invalid/api/v1/models HTTP/1.1\r\n"]
