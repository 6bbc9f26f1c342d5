"""Timings the tests no longer bound (a test asserts behaviour; how fast is a figure):

    .venv/bin/python -m bench.timings

- the simulator's latency is a wait, not a block: 300 requests held 300 ms each, at once;
- the API's X-Gateway-Overhead-Ms leaves out a 400 ms upstream wait;
- a second process opening a database that is in use is refused at once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.arms import ROOT, SIM_KEY, sign_in, start_platform
from bench.common import CHAT, OURS, bearer
from bench.openloop import build_request

CONCURRENT, HELD_MS, UPSTREAM_MS = 300, 300, 400
TRY_TO_OPEN = """import sys, pathlib
from adapters.duckdb.database import open_database
try:
    open_database(pathlib.Path(sys.argv[1]), 1).close()
except Exception as exc:
    print(type(exc).__name__)
"""


async def _one(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    reply = await reader.read()  # Connection: close, so until the server closes
    writer.close()
    return reply[:12]


async def _at_once(port: int, request: bytes) -> tuple[float, list[bytes]]:
    started = time.perf_counter()
    replies = await asyncio.gather(*(_one(port, request) for _ in range(CONCURRENT)))
    return time.perf_counter() - started, replies


def lock_refusal_s() -> tuple[float, str]:
    from adapters.duckdb.database import open_database

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "t.duckdb"
        held = open_database(path, 1)
        try:
            started = time.perf_counter()
            found = subprocess.run(
                [sys.executable, "-c", TRY_TO_OPEN, str(path)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                cwd=ROOT,
            )
            return time.perf_counter() - started, found.stdout.strip()
        finally:
            held.close()


def main() -> int:
    with ExitStack() as stack:
        platform = start_platform(stack, with_litellm=False)
        platform.set_simulator(latency_ms=HELD_MS)
        request = build_request(
            "127.0.0.1",
            platform.simulator.port,
            "/api/v1/chat/completions",
            CHAT.encode(),
            {"Authorization": f"Bearer {SIM_KEY}", "Connection": "close"},
        )
        wall_s, replies = asyncio.run(_at_once(platform.simulator.port, request))
        ok = sum(reply == b"HTTP/1.1 200" for reply in replies)
        print(
            f"simulator: {CONCURRENT} requests held {HELD_MS} ms each: {wall_s:.2f} s "
            f"({ok} answered 200; one after the other: {CONCURRENT * HELD_MS / 1000:.0f} s)"
        )
        platform.set_simulator(latency_ms=UPSTREAM_MS)
        headers = dict([bearer(sign_in(platform.ours.url, "timings@example.com"))])
        started = time.perf_counter()
        answer = httpx.post(
            platform.ours.url + "/generate/text",
            content=OURS,
            headers={**headers, "Content-Type": "application/json"},
            timeout=60,
        )
        seen_ms = (time.perf_counter() - started) * 1000
        overhead = answer.headers.get("x-gateway-overhead-ms", "?")
        print(
            f"X-Gateway-Overhead-Ms with a {UPSTREAM_MS} ms upstream: {overhead} ms "
            f"(status {answer.status_code}; the client saw {seen_ms:.0f} ms)"
        )
        platform.set_simulator(latency_ms=0)
    refused_s, said = lock_refusal_s()
    print(
        f"second opener of a database in use: {said or 'not refused'} after {refused_s:.2f} s "
        "(the whole child process, Python start-up included)"
    )
    print(
        json.dumps(
            {
                "simulator_concurrent_s": round(wall_s, 3),
                "overhead_header_ms": overhead,
                "lock_refusal_s": round(refused_s, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
