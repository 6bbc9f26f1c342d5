"""Bounded memory, measured on a real API process (its peak RSS, VmHWM, before and after):
a 200 MiB media file is streamed, not read whole; a 6300 x 6300 PNG (a small file that
decodes to 150 MiB) is decoded within the pixel budget, however many arrive at once."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.integration.conftest import ApiServer, api_env, sign_up
from tests.servers import SIMULATOR_KEY, Simulator

MiB = 1024 * 1024
BUDGET_PIXELS = 45_000_000  # room for one 6300 x 6300 image (39.7 MP), not for two
SIDE = 6300


@dataclass
class Served:
    api: ApiServer
    headers: dict[str, str]
    media_dir: Path


def peak_rss(api: ApiServer) -> int:
    """The process's high-water mark of resident memory, in bytes."""
    assert api.process is not None
    for line in Path(f"/proc/{api.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("memory")
    simulator = Simulator(root / "sim").start()
    env = api_env(
        OPENROUTER_BASE_URL=simulator.base_url,
        OPENROUTER_API_KEY=SIMULATOR_KEY,
        ALLUCANGET_UPLOAD_DECODE_BUDGET_PIXELS=str(BUDGET_PIXELS),
        ALLUCANGET_UPLOAD_DECODE_THREADS="2",
    )
    api = ApiServer(root / "data", env)
    try:
        api.start()
        tokens = asyncio.run(_sign_up(api.url))
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        yield Served(api, headers, root / "data" / "media")
    finally:
        api.stop()
        simulator.stop()


async def _sign_up(base: str) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=30) as http:
        return {k: str(v) for k, v in (await sign_up(http, base, "mem@example.com")).items()}


def test_a_200_mib_media_file_is_streamed_in_bounded_memory(served: Served) -> None:
    with httpx.Client(base_url=served.api.url, headers=served.headers, timeout=60) as http:
        body = {"prompt": "a lighthouse", "model": "google/gemini-2.5-flash-image"}
        generated = http.post("/generate/image", json=body)
        assert generated.status_code == 200, generated.text
        url = generated.json()["images"][0]["url"]
        [path] = served.media_dir.rglob(f"{url.rsplit('/', 1)[1]}.*")
        with path.open("wb") as handle:  # the same media row, now a 200 MiB file
            for _ in range(200):
                handle.write(b"\x5a" * MiB)
        assert http.get(url, headers={"Range": "bytes=0-99"}).status_code == 206  # warm up
        before = peak_rss(served.api)
        received = 0
        with http.stream("GET", url) as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                received += len(chunk)
        after = peak_rss(served.api)
    print(f"GET 200 MiB: peak RSS {before / MiB:.0f} -> {after / MiB:.0f} MiB")
    assert received == 200 * MiB
    assert after - before < 32 * MiB


def big_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_concurrent_huge_uploads_are_decoded_within_the_pixel_budget(
    served: Served,
) -> None:
    data = big_png()
    form = {"prompt": "the picture comes alive", "model": "google/veo-3.1-lite"}
    async with httpx.AsyncClient(
        base_url=served.api.url, headers=served.headers, timeout=120
    ) as http:
        tiny = io.BytesIO()
        Image.new("RGB", (8, 8)).save(tiny, format="PNG")
        files = {"image": ("warm.png", tiny.getvalue(), "image/png")}
        await http.post("/generate/video/from-image", data=form, files=files)  # warm up
        before = peak_rss(served.api)
        answers = await asyncio.gather(
            *(
                http.post(
                    "/generate/video/from-image",
                    data=form,
                    files={"image": ("big.png", data, "image/png")},
                )
                for _ in range(2)
            )
        )
        after = peak_rss(served.api)
    budget = BUDGET_PIXELS * 4  # 4 bytes a decoded pixel
    print(
        f"{len(data) / 1024:.0f} KiB PNG of {SIDE}x{SIDE}, two at once: peak RSS "
        f"{before / MiB:.0f} -> {after / MiB:.0f} MiB (budget {budget / MiB:.0f} MiB)"
    )
    assert [a.status_code for a in answers] == [202, 202], answers[0].text
    # One decode at a time fits the budget; the encoder and the allocator add some on top, so
    # the bound is what two decodes at once would need at the very least (the old code: +410).
    assert after - before < 2 * SIDE * SIDE * 4
