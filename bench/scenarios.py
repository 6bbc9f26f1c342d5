"""The scenarios (1-3, the hot paths, are in `bench.hot_paths`, 9 in `bench.v1_bench`,
what they share in `bench.common`). Each `round_*` runs every arm once (in a rotating order)
and returns the raw figures of that round; `bench.figures` turns rounds into medians and
ratios (the figures and their targets are in `bench.targets`), `bench.report` writes them
out."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

from bench.arms import SIM_KEY
from bench.common import CHAT, JSON, OURS, Bench, _present, rotated
from bench.engines import round_engines, round_engines_inflight
from bench.hot_paths import round_latency, round_protected, round_throughput
from bench.openloop import build_request, run_open_loop
from bench.procs import PeakRss
from bench.streaming import stream_timings
from bench.v1_bench import round_v1
from bench.wrk import Shape, finish, start_wrk

# scenario 7: a model that takes 100 ms to its first token, then a token every 10 ms
STREAM_LATENCY_MS, STREAM_CHUNK_DELAY_MS = 100, 10
STORM_CONNECTIONS = 8
PROBE_RPS = 100  # /healthz probed on a schedule (as a monitor would), not flooded


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
    "v1": round_v1,
    "engines": round_engines,
    "engines_inflight": round_engines_inflight,
}
