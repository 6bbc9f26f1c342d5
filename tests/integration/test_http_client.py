"""The shared OpenRouter client honours the environment's proxy settings, as httpx did."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from adapters.openrouter.client import make_http_client
from adapters.openrouter.transport import environment_matters


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


def _bare_environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name == "NETRC":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))


def test_without_proxy_or_netrc_the_environment_is_not_looked_up_per_request(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _bare_environment(monkeypatch, tmp_path)
    assert not environment_matters()


@pytest.mark.parametrize("name", ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_proxy_in_the_environment_is_honoured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    _bare_environment(monkeypatch, tmp_path)
    monkeypatch.setenv(name, "http://127.0.0.1:3128")
    assert environment_matters()


def test_a_netrc_file_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _bare_environment(monkeypatch, tmp_path)
    (tmp_path / ".netrc").write_text("machine example.com login a password b\n")
    assert environment_matters()
    (tmp_path / ".netrc").unlink()
    monkeypatch.setenv("NETRC", str(tmp_path / "elsewhere"))
    assert environment_matters()
