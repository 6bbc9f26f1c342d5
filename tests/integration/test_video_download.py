"""A video download goes to a temporary file chunk by chunk: memory stays flat, and a
failed or oversized download leaves no file behind."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.openrouter.video import OpenRouterVideoGateway
from application.errors import UpstreamUnavailableError

MiB = 1024 * 1024
CHUNK = b"\x00\x00\x00\x18ftypisom".ljust(64 * 1024, b"\x07")


def serving(chunks: int) -> httpx.MockTransport:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(chunks):
            yield CHUNK

    return httpx.MockTransport(lambda request: httpx.Response(200, content=body()))


def gateway(http: httpx.AsyncClient, spool: Path, **options: int) -> OpenRouterVideoGateway:
    return OpenRouterVideoGateway(
        http, "https://openrouter.test/api/v1", "sk-or-v1-t", spool_dir=spool, **options
    )


async def test_a_64_mib_video_is_downloaded_in_a_few_mib_of_memory(tmp_path: Path) -> None:
    async with httpx.AsyncClient(transport=serving(1024)) as http:
        tracemalloc.start()
        try:
            video = await gateway(http, tmp_path).download_video("abc", ())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    print(f"64 MiB download: peak Python allocation {peak / MiB:.1f} MiB")
    assert video.size == 64 * MiB == Path(video.path).stat().st_size
    assert video.head == CHUNK[:64]
    assert peak < 8 * MiB  # the old download held the body twice: 128 MiB


async def test_an_oversized_video_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    async with httpx.AsyncClient(transport=serving(32)) as http:
        with pytest.raises(UpstreamUnavailableError) as caught:
            await gateway(http, tmp_path, max_video_bytes=MiB).download_video("abc", ())
    assert "larger than this server accepts" in caught.value.detail
    assert list(tmp_path.iterdir()) == []
