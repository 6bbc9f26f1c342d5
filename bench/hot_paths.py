"""Scenarios 1-3, the hot paths: a text generation one request at a time and at saturation,
and an authenticated request against an anonymous one of the same process. Each arm run on
one of our servers also gives its CPU per request (`bench.cpu`): `<arm>_cpu_ms`."""

from __future__ import annotations

from bench.common import Bench, _present, bearer, rotated
from bench.cpu import CpuWindow
from bench.procs import Proc
from bench.served import ROUTE
from bench.wrk import Shape, WrkResult, run_wrk

ME = ("GET", "/auth/me")
HEALTHZ = ("GET", "/healthz")
SATURATION = 64


def _process(bench: Bench, arm: str) -> tuple[Proc | None, tuple[str, str] | None]:
    """The server behind a text arm, and the route it counts itself (None: wrk counts)."""
    p = bench.p
    return {
        "ours": (p.ours, ROUTE),
        "memory": (p.memory, ROUTE),
        "bare": (p.bare, None),
        "litellm": (p.litellm, None),
        "direct": (p.simulator, None),
    }.get(arm, (None, None))


def _run(
    bench: Bench,
    url: str,
    shape: Shape,
    connections: int,
    proc: Proc | None,
    route: tuple[str, str] | None,
) -> tuple[WrkResult, dict[str, float], CpuWindow | None]:
    """One arm under wrk; its server's CPU per request when there is a server of ours."""
    window = CpuWindow(proc, route).open() if proc is not None else None
    result = run_wrk(
        url, shape, connections=connections, seconds=bench.s.seconds, cores=bench.p.cores.load
    )
    extra = {"cpu_ms": window.close(result, connections)} if window is not None else {}
    return result, extra, window


def _text_arm(
    bench: Bench, arm: str, connections: int
) -> tuple[WrkResult, dict[str, float], CpuWindow | None]:
    url, shape = bench.text_arms()[arm]
    proc, route = _process(bench, arm)
    return _run(bench, url, shape, connections, proc, route)


def round_latency(bench: Bench, n: int) -> dict[str, float]:
    """1: one request at a time, 0 ms simulator: p50 and p99 of each arm, and the CPU each
    proxy spent per request."""
    figures: dict[str, float] = {}
    for arm in rotated(_present(bench, ["direct", "ours", "litellm"]), n):
        result, extra, _ = _text_arm(bench, arm, 1)
        figures |= {
            f"{arm}_p50_ms": result.p50_ms,
            f"{arm}_p99_ms": result.p99_ms,
            f"{arm}_errors": result.errors,
        }
        figures |= {f"{arm}_{k}": v for k, v in extra.items()}
    return figures


def round_throughput(bench: Bench, n: int) -> dict[str, float]:
    """2 and 5: 64 connections, 0 ms simulator. Also the simulator alone (the upstream called
    directly: the ceiling) and our API recording in memory. Every generation our API
    answered 200 must have its DuckDB row: both counted by the server itself (its /metrics),
    before the arm and once it has finished the requests still in flight when wrk stopped
    (wrk never counts those)."""
    figures: dict[str, float] = {}
    for arm in rotated(_present(bench, ["direct", "bare", "ours", "memory", "litellm"]), n):
        result, extra, window = _text_arm(bench, arm, SATURATION)
        figures |= {f"{arm}_rps": result.rps, f"{arm}_errors": result.errors}
        figures |= {f"{arm}_{k}": v for k, v in extra.items()}
        if arm == "ours" and window and window.after is not None and window.before is not None:
            figures |= window.after.since(window.before)
    return figures


def round_protected(bench: Bench, n: int) -> dict[str, float]:
    """3: GET /auth/me against GET /healthz of the same process (what authentication costs),
    and against a bare JSON hello (what the whole framework costs), 64 connections."""
    p = bench.p
    arms: dict[str, tuple[str, Shape, Proc, tuple[str, str] | None]] = {
        "me": (p.ours.url, Shape(*ME, (bearer(bench.token(p.ours.url)),)), p.ours, ME),
        "healthz": (p.ours.url, Shape(*HEALTHZ), p.ours, HEALTHZ),
        "hello": (p.bare.url, Shape("GET", "/hello"), p.bare, None),
    }
    figures: dict[str, float] = {}
    for arm in rotated(list(arms), n):
        url, shape, proc, route = arms[arm]
        result, extra, _ = _run(bench, url, shape, SATURATION, proc, route)
        figures |= {f"{arm}_rps": result.rps, f"{arm}_errors": result.errors}
        figures |= {f"{arm}_{k}": v for k, v in extra.items()}
    return figures
