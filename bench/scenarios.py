"""The eight scenarios. Each `round_*` runs every arm once (in a rotating order) and returns
the raw figures of that round; `bench.figures` turns rounds into medians and ratios (the figures
and their targets are in `bench.targets`), `bench.report` writes them out."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.arms import LITELLM_KEY, MODEL, SIM_KEY, Platform, api_key, sign_in
from bench.openloop import build_request, run_open_loop
from bench.procs import PeakRss
from bench.served import settled
from bench.streaming import stream_timings
from bench.wrk import Shape, WrkResult, finish, run_wrk, start_wrk

PROMPT = "Say something short about benchmarks."
MAX_TOKENS = 16
CHAT = json.dumps(
    {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": MAX_TOKENS}
)
OURS = json.dumps({"model": MODEL, "prompt": PROMPT, "max_tokens": MAX_TOKENS})
JSON = ("Content-Type", "application/json")
# scenario 7: a model that takes 100 ms to its first token, then a token every 10 ms
STREAM_LATENCY_MS, STREAM_CHUNK_DELAY_MS = 100, 10
STORM_CONNECTIONS = 8
PROBE_RPS = 100  # /healthz probed on a schedule (as a monitor would), not flooded


@dataclass
class Settings:
    seconds: float = 2.0  # per arm per round, closed-loop scenarios
    inflight_seconds: float = 30.0
    inflight_rps: float = 300.0
    inflight_latency_ms: int = 1500
    streams: int = 6
    storm_accounts: int = 16


def bearer(token: str) -> tuple[str, str]:
    return ("Authorization", f"Bearer {token}")


class Bench:
    """Shapes and tokens for one platform; a token is renewed well before its 15 minutes."""

    def __init__(self, platform: Platform, settings: Settings) -> None:
        self.p, self.s = platform, settings
        self._tokens: dict[str, tuple[float, str]] = {}
        self._keys: dict[str, str] = {}

    def token(self, base_url: str, email: str = "bench@example.com") -> str:
        at, token = self._tokens.get(base_url + email, (0.0, ""))
        if time.monotonic() - at > 600:
            token = sign_in(base_url, email)
            self._tokens[base_url + email] = (time.monotonic(), token)
        return token

    def key(self, base_url: str, email: str = "bench-v1@example.com") -> str:
        """A personal API key, made once per platform (keys do not lapse)."""
        if base_url + email not in self._keys:
            self._keys[base_url + email] = api_key(base_url, email)
        return self._keys[base_url + email]

    def text_arms(self) -> dict[str, tuple[str, Shape]]:
        """Arm -> (base URL, request) for one non-streamed chat answer."""
        p = self.p
        arms = {
            "direct": (
                p.simulator.url,
                Shape("POST", "/api/v1/chat/completions", (JSON, bearer(SIM_KEY)), (CHAT,)),
            ),
            "bare": (p.bare.url, Shape("POST", "/api/v1/chat/completions", (JSON,), (CHAT,))),
            "ours": (
                p.ours.url,
                Shape("POST", "/generate/text", (JSON, bearer(self.token(p.ours.url))), (OURS,)),
            ),
            "memory": (
                p.memory.url,
                Shape("POST", "/generate/text", (JSON, bearer(self.token(p.memory.url))), (OURS,)),
            ),
        }
        if p.litellm is not None:
            arms["litellm"] = (
                p.litellm.url,
                Shape("POST", "/v1/chat/completions", (JSON, bearer(LITELLM_KEY)), (CHAT,)),
            )
        return arms

    def closed(self, arm: str, connections: int, seconds: float | None = None) -> WrkResult:
        url, shape = self.text_arms()[arm]
        return run_wrk(
            url,
            shape,
            connections=connections,
            seconds=seconds or self.s.seconds,
            cores=self.p.cores.load,
        )


def rotated(arms: list[str], round_no: int) -> list[str]:
    """Each round starts with a different arm, so no arm always runs first or last."""
    shift = round_no % len(arms)
    return arms[shift:] + arms[:shift]


def _present(bench: Bench, arms: list[str]) -> list[str]:
    return [a for a in arms if a != "litellm" or bench.p.litellm is not None]


def round_latency(bench: Bench, n: int) -> dict[str, float]:
    """1: one request at a time, 0 ms simulator: p50 and p99 of each arm."""
    figures: dict[str, float] = {}
    for arm in rotated(_present(bench, ["direct", "ours", "litellm"]), n):
        result = bench.closed(arm, connections=1)
        figures |= {
            f"{arm}_p50_ms": result.p50_ms,
            f"{arm}_p99_ms": result.p99_ms,
            f"{arm}_errors": result.errors,
        }
    return figures


def round_throughput(bench: Bench, n: int) -> dict[str, float]:
    """2 and 5: 64 connections, 0 ms simulator. Also the simulator alone (the ceiling) and
    our API recording in memory. Every generation our API answered 200 must have its DuckDB
    row: both counted by the server itself (its /metrics), before the arm and once it has
    finished the requests still in flight when wrk stopped (wrk never counts those)."""
    figures: dict[str, float] = {}
    for arm in rotated(_present(bench, ["direct", "bare", "ours", "memory", "litellm"]), n):
        before = settled(bench.p.ours.url) if arm == "ours" else None
        result = bench.closed(arm, connections=64)
        figures |= {f"{arm}_rps": result.rps, f"{arm}_errors": result.errors}
        if before is not None:
            figures |= settled(bench.p.ours.url).since(before)
    return figures


def round_protected(bench: Bench, n: int) -> dict[str, float]:
    """3: GET /auth/me against a bare JSON hello, 64 connections."""
    shapes = {
        "me": (
            bench.p.ours.url,
            Shape("GET", "/auth/me", (bearer(bench.token(bench.p.ours.url)),)),
        ),
        "hello": (bench.p.bare.url, Shape("GET", "/hello")),
    }
    figures: dict[str, float] = {}
    for arm in rotated(list(shapes), n):
        url, shape = shapes[arm]
        result = run_wrk(
            url, shape, connections=64, seconds=bench.s.seconds, cores=bench.p.cores.load
        )
        figures |= {f"{arm}_rps": result.rps, f"{arm}_errors": result.errors}
    return figures


def round_inflight(bench: Bench, n: int) -> dict[str, float]:
    """4 and 8: simulator latency 1.5 s, 300 requests/s offered for 30 s, open loop; peak RSS
    of each arm under that load."""
    s = bench.s
    bench.p.set_simulator(latency_ms=s.inflight_latency_ms)
    figures: dict[str, float] = {}
    try:
        for arm in rotated(_present(bench, ["ours", "litellm"]), n):
            _url, shape = bench.text_arms()[arm]
            proc = bench.p.ours if arm == "ours" else bench.p.litellm
            assert proc is not None
            request = build_request(
                "127.0.0.1",
                proc.port,
                shape.path,
                shape.bodies[0].encode(),
                {k: v for k, v in shape.headers if k != "Content-Type"},
            )
            with PeakRss(proc) as rss:
                result = run_open_loop(
                    "127.0.0.1", proc.port, request, rps=s.inflight_rps, seconds=s.inflight_seconds
                )
            waited = proc.wait_idle()  # the next arm must not inherit this one's backlog
            settle = s.inflight_latency_ms / 1000
            figures |= {
                f"{arm}_backlog_s": waited,
                f"{arm}_achieved_ratio": result.achieved_rps(settle) / s.inflight_rps,
                f"{arm}_success": result.success_rate,
                f"{arm}_p99_ratio": result.latency_s(99) / settle,
                f"{arm}_peak_rss_mib": rss.peak_mib,
                f"{arm}_late_sends": result.late_sends,
                f"{arm}_errors": len(result.outcomes) - len(result.ok),  # refused or unanswered
            }
    finally:
        bench.p.set_simulator(latency_ms=0)
    return figures


def single_hash_s(cores: frozenset[int] | None, repeat: int = 5) -> float:
    """One argon2id verification with the API's default parameters, on the API's core."""
    from adapters.security.passwords import LibpassPasswordHasher

    hasher = LibpassPasswordHasher()
    stored = hasher._context.hash("a bench passphrase")
    mine = os.sched_getaffinity(0)
    if cores:
        os.sched_setaffinity(0, cores)
    try:
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            hasher._context.verify("a bench passphrase", stored)
            timings.append(time.perf_counter() - started)
    finally:
        os.sched_setaffinity(0, mine)
        hasher.close()
    return statistics.median(timings)


def storm_accounts(bench: Bench) -> list[str]:
    emails = [f"storm{i}@example.com" for i in range(bench.s.storm_accounts)]
    for email in emails:
        bench.token(bench.p.ours.url, email)  # registers it once
    return emails


def round_login_storm(bench: Bench, n: int, emails: list[str], hash_s: float) -> dict[str, float]:
    """6: logins from 8 connections over 16 accounts; /healthz probed 100 times a second
    beside them, and alone before them."""
    from bench.arms import PASSWORD

    url, load = bench.p.ours.url, bench.p.cores.load
    bodies = tuple(json.dumps({"email": e, "password": PASSWORD}) for e in emails)
    logins = Shape("POST", "/auth/login", (JSON,), bodies)
    port = bench.p.ours.port
    probe = build_request("127.0.0.1", port, "/healthz", b"", {}, method="GET")
    idle = run_open_loop("127.0.0.1", port, probe, rps=PROBE_RPS, seconds=bench.s.seconds)
    storm_s = 2 * bench.s.seconds + 1  # logins take a quarter second each: a longer window
    storm = start_wrk(url, logins, connections=STORM_CONNECTIONS, seconds=storm_s, cores=load)
    time.sleep(1)  # health checks start once the storm is under way
    during = run_open_loop("127.0.0.1", port, probe, rps=PROBE_RPS, seconds=bench.s.seconds)
    stormed = finish(storm)
    time.sleep(STORM_CONNECTIONS * hash_s + 0.5)  # let the server finish the logins in flight
    return {
        "logins_per_s": stormed.rps,
        "logins_errors": stormed.errors,
        "healthz_errors": sum(len(p.outcomes) - len(p.ok) for p in (idle, during)),
        "healthz_idle_p99_ms": idle.latency_s(99, from_send=True) * 1000,
        "healthz_storm_p99_ms": during.latency_s(99, from_send=True) * 1000,
        "healthz_storm_success": during.success_rate,
    }


def round_streaming(bench: Bench, n: int) -> dict[str, float]:
    """7: time to first token and the gap between chunks, through the API and direct."""
    p = bench.p
    figures: dict[str, float] = {}
    p.set_simulator(latency_ms=STREAM_LATENCY_MS, chunk_delay_ms=STREAM_CHUNK_DELAY_MS)
    try:
        for arm in rotated(["direct", "ours"], n):
            if arm == "direct":
                url = p.upstream + "/chat/completions"
                body = json.dumps({**json.loads(CHAT), "stream": True})
                headers = {"Authorization": f"Bearer {SIM_KEY}"}
            else:
                url, body = p.ours.url + "/generate/text/stream", OURS
                headers = {"Authorization": f"Bearer {bench.token(p.ours.url)}"}
            ttft, gap = stream_timings(url, body, headers, bench.s.streams)
            figures |= {f"{arm}_ttft_ms": ttft * 1000, f"{arm}_gap_ms": gap * 1000}
    finally:
        p.set_simulator(latency_ms=0, chunk_delay_ms=0)
    return figures


SCENARIOS: dict[str, Callable[..., dict[str, float]]] = {
    "latency": round_latency,
    "throughput": round_throughput,
    "protected": round_protected,
    "streaming": round_streaming,
    "login_storm": round_login_storm,
    "inflight": round_inflight,
}


def _register_v1() -> None:
    from bench.engines import round_engines, round_engines_inflight
    from bench.v1_bench import round_v1  # it imports this module: registered once both exist

    SCENARIOS["v1"] = round_v1
    SCENARIOS["engines"] = round_engines
    SCENARIOS["engines_inflight"] = round_engines_inflight


_register_v1()
