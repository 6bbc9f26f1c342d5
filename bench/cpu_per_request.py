"""CPU time per request of the API process: steadier than req/s on a shared machine.

    python -m bench.cpu_per_request --route text|auth_me|healthz|v1 [--rounds 3]
        [--seconds 4] [--connections 64] [--arm LABEL=CODE_ROOT[@granian|@memory] ...]

One simulator (0 ms) on the load core; one API process per arm on the core under test, each
running the code found under its CODE_ROOT (default: this checkout), so two versions of the
code (or two servers: `@granian` runs an arm under granian, bench/granian_api.py) are
compared interleaved (A/B/A/B...) in one run. `@memory` runs an arm with its generations
recorded in a dict (bench/variant.py): the group commit's CPU per generation depends on the
batch size, that is on the throughput the shared machine allows at the time, which swamps
smaller differences on a busy machine. Per arm and round: wrk drives the route
for `--seconds`, and the API process's utime+stime (/proc/<pid>/stat, every thread) before and
after, divided by the requests answered, is its CPU time per request."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench.arms import MODEL, ROOT, _api_env, api_key, sign_in
from bench.procs import CorePlan, Proc, free_port
from bench.scenarios import CHAT, JSON, OURS, bearer, rotated
from bench.wrk import Shape, run_wrk

ROUTES = ("text", "auth_me", "healthz", "v1")
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def start_api(
    label: str, code: Path, work: Path, upstream: str, cores: CorePlan, server: str
) -> Proc:
    port = free_port()
    data = work / label
    if server == "granian":
        argv = [sys.executable, "-m", "bench.granian_api", "--port", str(port)]
    elif server == "memory":  # generations kept in a dict: no group-commit batch sizes
        argv = [sys.executable, str(code / "bench" / "variant.py"), "--port", str(port)]
    else:
        argv = [sys.executable, "-m", "entrypoints.cli", "api", "--host", "127.0.0.1"]
        argv += ["--api-port", str(port), "--data-dir", str(data)]
    env = _api_env(data, upstream) | {"PYTHONPATH": str(code)}
    env["ALLUCANGET_API_PORT"] = str(port)
    return Proc(f"api-{label}", argv, port, "/healthz", work, cores.sut, env)


def shape_for(route: str, api: Proc) -> Shape:
    if route == "text":
        token = sign_in(api.url, "cpu@example.com")
        return Shape("POST", "/generate/text", (JSON, bearer(token)), (OURS,))
    if route == "auth_me":
        return Shape("GET", "/auth/me", (bearer(sign_in(api.url, "cpu@example.com")),))
    if route == "v1":
        key = api_key(api.url, "cpu-v1@example.com")
        return Shape("POST", "/v1/chat/completions", (JSON, bearer(key)), (CHAT,))
    return Shape("GET", "/healthz")


def cpu_ms(api: Proc) -> float:
    return api.cpu_ticks() * TICK_MS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--route", choices=ROUTES, default="text")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--arm", action="append", default=[], help="LABEL=CODE_ROOT")
    parser.add_argument("--server", choices=("uvicorn", "granian", "memory"), default="uvicorn")
    args = parser.parse_args()
    arms = dict(arm.split("=", 1) for arm in args.arm) or {"this": str(ROOT)}
    cores = CorePlan.for_machine()
    print(f"{cores.describe()}; route {args.route}; model {MODEL}; {args.connections} conns")
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cpu-per-req-")))
        sim_port = free_port()
        simulator = Proc(
            "simulator",
            [sys.executable, "-m", "simulator", "--port", str(sim_port), "--log-level", "warning"],
            sim_port,
            "/api/v1/models",
            work,
            cores.load,
            dict(os.environ, PYTHONPATH=str(ROOT)),
        )
        stack.callback(simulator.stop)
        simulator.start()
        upstream = simulator.url + "/api/v1"
        apis = {}
        for label, spec in arms.items():
            code, _, server = spec.partition("@")
            api = start_api(label, Path(code), work, upstream, cores, server or args.server)
            stack.callback(api.stop)
            apis[label] = (api.start(), shape_for(args.route, api))
        results: dict[str, list[tuple[float, float]]] = {label: [] for label in apis}
        for api, shape in apis.values():  # warm-up, not counted
            run_wrk(api.url, shape, connections=args.connections, seconds=1, cores=cores.load)
        for n in range(args.rounds):
            for label in rotated(list(apis), n):
                api, shape = apis[label]
                api.wait_idle()
                before = cpu_ms(api)
                result = run_wrk(
                    api.url,
                    shape,
                    connections=args.connections,
                    seconds=args.seconds,
                    cores=cores.load,
                )
                api.wait_idle()
                answered = result.requests - result.errors
                per = (cpu_ms(api) - before) / max(answered, 1)
                results[label].append((per, result.rps))
                print(
                    f"round {n + 1} {label:>10}: {per:.3f} ms CPU/request, {result.rps:.0f} req/s"
                    f", {result.errors} errors, p50 {result.p50_ms:.1f} ms",
                    flush=True,
                )
        summarise(results)
        for label, (api, _) in apis.items():
            print(f"  {label:>10}: RSS {api.rss_kib() / 1024:.0f} MiB after the rounds")


def summarise(results: dict[str, list[tuple[float, float]]]) -> None:
    """Medians over rounds, and each arm against the first one round by round (the pairs
    ran next to each other, so a busy spell of the shared machine weighs on both)."""
    print("median over rounds:")
    first = next(iter(results))
    for label, rows in results.items():
        per = statistics.median(r[0] for r in rows)
        rps = statistics.median(r[1] for r in rows)
        paired = ""
        if label != first:
            ratios = [r[0] / f[0] for r, f in zip(rows, results[first], strict=True)]
            paired = f"; CPU/request {statistics.median(ratios):.3f}x {first}'s, round by round"
        print(f"  {label:>10}: {per:.3f} ms CPU/request, {rps:.0f} req/s{paired}")


if __name__ == "__main__":
    main()
