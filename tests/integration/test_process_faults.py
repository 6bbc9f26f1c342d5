"""The API as a real process under faults: a second API refused while the first serves on,
and kill -9 in the middle of generations (every acknowledged generation survives whole)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.integration.conftest import ApiServer, api_env, sign_up
from tests.integration.engines import api_engine, query_stored  # noqa: F401 (fixture)
from tests.servers import SIMULATOR_KEY, Simulator, free_port

TEXT, IMAGE = "openai/gpt-4o-mini", "google/gemini-2.5-flash-image"


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    process = Simulator(tmp_path / "sim").start("--latency-ms", "20")
    yield process
    process.stop()


def test_a_second_api_is_refused_and_the_first_keeps_serving(
    start_api: Callable[..., ApiServer], tmp_path: Path
) -> None:
    first = start_api()
    second = subprocess.run(
        [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "api",
            "--host",
            "127.0.0.1",
            "--data-dir",
            str(first.data_dir),
            "--api-port",
            str(free_port()),
        ],
        env=api_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 1
    assert "only one API process may use a data directory" in second.stderr
    body = {"email": "still@example.com", "password": "correct horse battery staple"}
    assert httpx.post(f"{first.url}/auth/register", json=body, timeout=10).status_code == 201
    assert httpx.post(f"{first.url}/auth/login", json=body, timeout=10).status_code == 200


ENOUGH = 6  # acknowledged generations before the kill


async def generate(
    http: httpx.AsyncClient, url: str, token: str, acknowledged: list[str], enough: asyncio.Event
) -> None:
    """Text and image generations in a loop until the API goes away; every id the API
    acknowledged goes into `acknowledged`, and `enough` is set once there are ENOUGH."""
    headers = {"Authorization": f"Bearer {token}"}
    for round_ in range(500):  # bounded, in case the kill never comes
        path, model = ("/generate/image", IMAGE) if round_ % 3 == 0 else ("/generate/text", TEXT)
        try:
            body = {"prompt": f"crash {round_}", "model": model}
            answer = await http.post(f"{url}{path}", headers=headers, json=body)
        except httpx.TransportError:
            return  # the API was killed under us
        if answer.status_code == 200:
            acknowledged.append(answer.json()["id"])
            if len(acknowledged) >= ENOUGH:
                enough.set()


async def test_a_killed_api_keeps_every_acknowledged_generation_whole(
    start_api: Callable[..., ApiServer], simulator: Simulator, api_engine: dict[str, str]
) -> None:
    upstream = {"OPENROUTER_BASE_URL": simulator.base_url, "OPENROUTER_API_KEY": SIMULATOR_KEY}
    api = start_api(**upstream, **api_engine)
    acknowledged: list[str] = []
    enough = asyncio.Event()
    async with httpx.AsyncClient(timeout=10) as http:
        sessions = [await sign_up(http, api.url, f"g{i}@example.com") for i in range(6)]
        loops = asyncio.gather(
            *(generate(http, api.url, s["access_token"], acknowledged, enough) for s in sessions)
        )
        waiting = asyncio.create_task(enough.wait())
        await asyncio.wait([waiting, loops], return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        assert not loops.done(), "the load should still be running when the API is killed"
        api.kill()  # kill -9 in the middle of the load
        await loops
    assert len(acknowledged) >= 6, "the load should have produced generations before the kill"
    # the DuckDB file (its WAL replayed), or the PostgreSQL database
    stored = dict(query_stored(api.env, api.database_path, "SELECT id, status FROM generations"))
    media = query_stored(api.env, api.database_path, "SELECT id, content_type FROM media")
    assert {gid: stored.get(gid) for gid in acknowledged} == dict.fromkeys(
        acknowledged, "succeeded"
    )
    files = {p.name.split(".")[0]: p for p in (api.data_dir / "media").rglob("*.png")}
    for media_id, _ in media:  # every stored row points at a whole, decodable picture
        with Image.open(files[media_id]) as picture:
            picture.load()
    restarted = start_api(api.data_dir, **api_engine)
    assert httpx.get(f"{restarted.url}/readyz", timeout=10).json()["database"] == "ok"
