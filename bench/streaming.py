"""Time to first token and the gap between tokens of a streamed answer, one at a time.

A token is a `data:` line carrying text: OpenRouter's `"content":"..."` deltas direct from
the simulator, our API's `event: delta` data lines through it. The client is the same for
both, so its own cost cancels out in the comparison."""

from __future__ import annotations

import itertools
import re
import statistics
import time
from collections.abc import Iterator

import httpx

_TOKEN = re.compile(rb'^data: \{.*"(content|text)":"[^"]')


def stream_timings(
    url: str, body: str, headers: dict[str, str], streams: int
) -> tuple[float, float]:
    """Median time to first token and median gap between tokens, in seconds."""
    firsts: list[float] = []
    gaps: list[float] = []
    with httpx.Client(timeout=30) as client:
        for index in range(streams + 1):  # the first one warms the connection, then dropped
            started = time.perf_counter()
            arrivals = []
            with client.stream(
                "POST", url, content=body, headers={**headers, "Content-Type": "application/json"}
            ) as answer:
                answer.raise_for_status()
                for line in _lines(answer):
                    if _TOKEN.match(line):
                        arrivals.append(time.perf_counter() - started)
            if not arrivals:
                raise RuntimeError(f"no tokens in the stream from {url}")
            if index:
                firsts.append(arrivals[0])
                gaps.extend(b - a for a, b in itertools.pairwise(arrivals))
    return statistics.median(firsts), statistics.median(gaps)


def _lines(answer: httpx.Response) -> Iterator[bytes]:
    buffer = b""
    for chunk in answer.iter_raw():
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        yield from complete
