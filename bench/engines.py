"""10 and 11: the database engines side by side, our API on DuckDB (one process, as DuckDB
allows), on PostgreSQL with one worker process and with two (`bench.arms.start_engines`).
Unlike scenarios 1-9 nothing is pinned: servers, PostgreSQL, simulator and load generator
share the whole machine, as a deployment on it would.

10 is scenario 2's load (64 connections, the simulator answering at once) with what each
engine costs per generation: CPU time (utime + stime in /proc/<pid>/stat) of the API
processes, and of the PostgreSQL server's processes, before and after the arm, divided by
the generations it recorded (the admin stats, read before and after it went idle). 11 is
scenario 4's open-loop load (1.5 s upstream, 300 requests/s offered)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from bench.arms import ADMIN_EMAIL, ENGINE_ARMS, generations_total
from bench.common import JSON, OURS, Bench, bearer, rotated
from bench.openloop import build_request, run_open_loop
from bench.procs import tree_ticks
from bench.wrk import Shape, run_wrk

ARMS = list(ENGINE_ARMS)
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
IDLE_MAX_S = 60.0  # a backlog is worked off before the next arm, which shares the cores


@contextmanager
def whole_machine(bench: Bench) -> Iterator[None]:
    """The bench process (and so wrk and the open-loop client) and the simulator on every
    core for the scenario; pinned back afterwards."""
    cores = (bench.p.cores.sut or frozenset()) | (bench.p.cores.load or frozenset())
    simulator = bench.p.simulator.process
    pids = [0] + ([simulator.pid] if simulator is not None else [])
    before = {pid: os.sched_getaffinity(pid) for pid in pids}
    try:
        for pid in pids:
            if cores:
                os.sched_setaffinity(pid, cores)
        yield
    finally:
        for pid, mask in before.items():
            os.sched_setaffinity(pid, mask)


class Meter:
    """CPU ticks of an arm's API processes and of the PostgreSQL server, and the arm's
    generation count; `cost()` is the CPU ms per generation since it was made."""

    def __init__(self, bench: Bench, arm: str) -> None:
        self.bench, self.arm = bench, arm
        self.proc = bench.p.engines[arm]
        self.admin = bench.token(self.proc.url, ADMIN_EMAIL)  # signed in before measuring
        self.generations = generations_total(self.proc.url, self.admin)
        self.api, self.pg = self._ticks()

    def _ticks(self) -> tuple[int, int]:
        pg = self.bench.p.pg
        server = tree_ticks(pg.postmaster_pid()) if pg and self.arm != "duck" else 0
        return self.proc.cpu_ticks(), server

    def cost(self) -> dict[str, float]:
        waited = self.proc.wait_idle(max_s=IDLE_MAX_S)
        api, pg = self._ticks()
        made = generations_total(self.proc.url, self.admin) - self.generations
        figures = {f"{self.arm}_backlog_s": waited, f"{self.arm}_generations": made}
        if made > 0:
            figures[f"{self.arm}_api_cpu_ms"] = (api - self.api) * TICK_MS / made
            if self.arm != "duck":
                figures[f"{self.arm}_pg_cpu_ms"] = (pg - self.pg) * TICK_MS / made
        return figures


def _headers(bench: Bench, arm: str) -> tuple[tuple[str, str], ...]:
    return (JSON, bearer(bench.token(bench.p.engines[arm].url)))


def round_engines(bench: Bench, n: int) -> dict[str, float]:
    """10: 64 connections, 0 ms simulator, each engine arm in turn; requests/s and CPU ms
    per generation (API processes; PostgreSQL server)."""
    figures: dict[str, float] = {}
    with whole_machine(bench):
        for arm in rotated(ARMS, n):
            proc = bench.p.engines[arm]
            shape = Shape("POST", "/generate/text", _headers(bench, arm), (OURS,))
            meter = Meter(bench, arm)
            result = run_wrk(proc.url, shape, connections=64, seconds=bench.s.seconds, cores=None)
            figures |= {f"{arm}_rps": result.rps, f"{arm}_errors": result.errors}
            figures |= meter.cost()
    return figures


def round_engines_inflight(bench: Bench, n: int) -> dict[str, float]:
    """11: simulator latency 1.5 s, 300 requests/s offered, open loop, each engine arm."""
    s = bench.s
    bench.p.set_simulator(latency_ms=s.inflight_latency_ms)
    figures: dict[str, float] = {}
    try:
        with whole_machine(bench):
            for arm in rotated(ARMS, n):
                proc = bench.p.engines[arm]
                headers = dict(h for h in _headers(bench, arm) if h[0] != "Content-Type")
                request = build_request(
                    "127.0.0.1", proc.port, "/generate/text", OURS.encode(), headers
                )
                meter = Meter(bench, arm)
                result = run_open_loop(
                    "127.0.0.1", proc.port, request, rps=s.inflight_rps, seconds=s.inflight_seconds
                )
                settle = s.inflight_latency_ms / 1000
                figures |= {
                    f"{arm}_achieved_ratio": result.achieved_rps(settle) / s.inflight_rps,
                    f"{arm}_success": result.success_rate,
                    f"{arm}_p99_ratio": result.latency_s(99) / settle,
                    f"{arm}_late_sends": result.late_sends,
                    f"{arm}_errors": len(result.outcomes) - len(result.ok),
                }
                figures |= {
                    f"{arm}_flight_{k.split('_', 1)[1]}": v for k, v in meter.cost().items()
                }
    finally:
        bench.p.set_simulator(latency_ms=0)
    return figures
