"""Run the peer benchmarks: every scenario, arms interleaved round by round, one process set.

    .venv/bin/python -m bench.run [--rounds 7] [--seconds 3] [--only latency throughput ...]

Writes bench/results/results.json and results.md and prints the table. `make bench` runs
bench/setup.sh first (wrk, and LiteLLM in its own virtualenv)."""

from __future__ import annotations

import argparse
import os
import platform as host
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.arms import ROOT, litellm_binary, start_engines, start_platform
from bench.common import Bench, Settings
from bench.figures import Runs
from bench.report import markdown, summarise, write
from bench.scenarios import SCENARIOS, single_hash_s, storm_accounts


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        host.machine(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{model}, {os.cpu_count()} cores, {memory_kib / 2**20:.0f} GiB, "
        f"Linux {host.release()}, Python {host.python_version()}"
    )


def litellm_version() -> str:
    binary, reason = litellm_binary()
    if binary is None:
        return f"skipped ({reason})"
    python = binary.parent / "python"
    found = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f"litellm[proxy] {found.stdout.strip() or '?'}"


def run_scenario(bench: Bench, name: str, rounds: int, extra: list[Any]) -> Runs:
    function = SCENARIOS[name]
    quick = Bench.__new__(Bench)
    quick.__dict__.update(bench.__dict__)
    quick.s = replace(bench.s, seconds=1, inflight_seconds=3, streams=2)
    function(quick, 0, *extra)  # warm-up, thrown away
    found = Runs()
    for number in range(rounds):
        started = time.monotonic()
        try:
            figures = function(bench, number, *extra)
        except Exception as exc:  # one broken round must not lose the run; the report says so
            print(f"  {name} round {number + 1}/{rounds} failed: {exc!r}", flush=True)
            found.failed.append((number + 1, repr(exc)))
            continue
        found.rounds.append((number + 1, figures))
        shown = ", ".join(
            f"{k}={v:.3g}" for k, v in figures.items() if not k.endswith("errors") or v
        )
        print(
            f"  {name} round {number + 1}/{rounds} ({time.monotonic() - started:.0f} s): {shown}",
            flush=True,
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=2.0, help="per arm per round")
    parser.add_argument("--inflight-seconds", type=float, default=30.0)
    parser.add_argument("--inflight-rps", type=float, default=300.0, help="offered, open loop")
    parser.add_argument("--only", nargs="*", choices=list(SCENARIOS), default=list(SCENARIOS))
    parser.add_argument("--no-litellm", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    began = time.monotonic()
    settings = Settings(
        seconds=args.seconds, inflight_seconds=args.inflight_seconds, inflight_rps=args.inflight_rps
    )
    results: dict[str, Runs] = {}
    context: dict[str, float] = {}
    with ExitStack() as stack:
        platform = start_platform(stack, with_litellm=not args.no_litellm)
        print(
            f"platform up in {time.monotonic() - began:.0f} s; {platform.cores.describe()}",
            flush=True,
        )
        if any(name.startswith("engines") for name in args.only):
            start_engines(stack, platform)  # DuckDB and PostgreSQL arms, on every core
            print(f"engine arms up (PostgreSQL {platform.pg and platform.pg.version})", flush=True)
        if platform.litellm_skipped:
            print(f"LiteLLM arm skipped: {platform.litellm_skipped}", flush=True)
        if platform.cores.load:
            os.sched_setaffinity(0, platform.cores.load)  # the open-loop client runs here
        bench = Bench(platform, settings)
        context["sut_cores"] = platform.cores.sut_cores
        for name in args.only:
            extra: list[Any] = []
            if name == "login_storm":
                context["single_hash_s"] = single_hash_s(platform.cores.sut)
                print(
                    f"  single argon2id verification: {context['single_hash_s'] * 1000:.0f} ms",
                    flush=True,
                )
                extra = [storm_accounts(bench), context["single_hash_s"]]
            print(f"{name}:", flush=True)
            results[name] = run_scenario(bench, name, args.rounds, extra)
    header = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "cores": platform.cores.describe(),
        "rounds": args.rounds,
        "seconds_per_arm": args.seconds,
        "inflight": f"{args.inflight_rps:g} requests/s offered for {args.inflight_seconds:g} s",
        "litellm": litellm_version(),
        "context": context,
        "wall_seconds": round(time.monotonic() - began),
    }
    figures = summarise(results, context)
    write(args.out, header, figures, results)
    print()
    print(markdown(figures, header))
    print(f"written to {args.out}/results.json and results.md in {header['wall_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
