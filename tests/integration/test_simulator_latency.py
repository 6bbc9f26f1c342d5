"""The simulator's latency is a wait, not a block: requests held at once, over real loopback."""

from __future__ import annotations

import asyncio
import json

from tests import simulator_cases as cases
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator = fx.simulator_session, fx.simulator


async def _raw_post(port: int, body: bytes, key: str) -> bytes:
    """One HTTP/1.1 request on its own connection (httpx's pool is slow with hundreds open)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST /api/v1{cases.CHAT} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\n"
    writer.write(f"{head}Connection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    reply = await reader.read()  # until the server closes the connection
    writer.close()
    return reply


async def test_latency_does_not_block_concurrent_requests(simulator: SimulatorHandle) -> None:
    """Every request is logged when it arrives and gets its status when answered: all of them
    logged while none is answered yet means all were held in their latency at once."""
    simulator.set_scenario(latency_ms=2000)
    port, body = int(simulator.origin.rsplit(":", 1)[1]), json.dumps(cases.DEFAULTS[cases.CHAT])
    count = 100
    replies = asyncio.gather(
        *(_raw_post(port, body.encode(), simulator.api_key) for _ in range(count))
    )
    held = 0
    while not replies.done():
        log = await asyncio.to_thread(simulator.requests, cases.CHAT)
        if any(entry["status"] is not None for entry in log) or len(log) == count:
            held = len([entry for entry in log if entry["status"] is None])
            break
    assert held == count  # one after the other, the first would be answered before the second
    assert [reply[:12] for reply in await replies] == [b"HTTP/1.1 200"] * count
