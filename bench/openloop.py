"""Open-loop load: requests sent on a fixed schedule whatever the server does (wrk cannot),
latency counted from the scheduled send time so a slow server cannot hide its queue
(no coordinated omission). Plain asyncio sockets with keep-alive: no client library cost."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass(slots=True)
class Outcome:
    scheduled: float
    sent: float = 0.0
    finished: float = 0.0
    status: int = 0  # 0: no answer (connection error or still pending at the end)


@dataclass
class OpenLoopResult:
    offered_rps: float
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    late_sends: int = 0  # sends more than 10 ms behind schedule: the generator fell behind

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if 200 <= o.status < 300]

    @property
    def success_rate(self) -> float:
        return len(self.ok) / len(self.outcomes) if self.outcomes else 0.0

    def achieved_rps(self, settle_s: float) -> float:
        """Successful completions per second inside [settle_s, seconds]: the steady state,
        once the first answers (which take the upstream latency) can have arrived."""
        window = self.seconds - settle_s
        done = [o for o in self.ok if settle_s <= o.finished <= self.seconds]
        return len(done) / window if window > 0 else 0.0

    def latency_s(self, percentile: float, *, from_send: bool = False) -> float:
        """From the scheduled time (a queue counts), or from the actual send (`from_send`,
        for a probe whose own timer jitter should not count)."""
        latencies = sorted(o.finished - (o.sent if from_send else o.scheduled) for o in self.ok)
        if not latencies:
            return float("inf")
        index = min(len(latencies) - 1, round(percentile / 100 * (len(latencies) - 1)))
        return latencies[index]


class _Pool:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.idle:
            return self.idle.pop()
        return await asyncio.open_connection(self.host, self.port, limit=1 << 20)

    def give(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        self.idle.append(conn)

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _exchange(pool: _Pool, request: bytes) -> int:
    reader, writer = await pool.take()
    try:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
    except BaseException:
        writer.close()
        raise
    pool.give((reader, writer))
    return status


def build_request(
    host: str, port: int, path: str, body: bytes, headers: dict[str, str], method: str = "POST"
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    if body:
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def open_loop(
    host: str, port: int, request: bytes, *, rps: float, seconds: float, drain_s: float = 1.5
) -> OpenLoopResult:
    """Send `rps` requests a second for `seconds`, then wait up to `drain_s` for the rest.
    Unanswered requests count as failures. Times are relative to the first send."""
    pool = _Pool(host, port)
    result = OpenLoopResult(offered_rps=rps, seconds=seconds)
    total = int(rps * seconds)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    tasks = []

    async def one(outcome: Outcome) -> None:
        outcome.sent = loop.time() - start
        try:
            outcome.status = await _exchange(pool, request)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            outcome.status = 0
        outcome.finished = loop.time() - start

    for index in range(total):
        due = start + index / rps
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif -delay > 0.010:
            result.late_sends += 1
        outcome = Outcome(scheduled=index / rps)
        result.outcomes.append(outcome)
        tasks.append(asyncio.create_task(one(outcome)))
    _, pending = await asyncio.wait(tasks, timeout=drain_s) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    pool.close()
    return result


def run_open_loop(
    host: str, port: int, request: bytes, *, rps: float, seconds: float
) -> OpenLoopResult:
    return asyncio.run(open_loop(host, port, request, rps=rps, seconds=seconds))
