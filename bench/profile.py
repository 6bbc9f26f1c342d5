"""Profile the API under load: where the time of a text generation and of an authenticated
request goes.

    .venv/bin/python -m bench.profile --label before [--seconds 10] [--rate 500]
        [--only text auth_me] [--connections 64]

Starts the bench's processes (`bench.arms.start_platform`, the simulator answering at once),
drives our API with wrk at 64 connections (`--connections 1`: the latency path) on (a) POST
/generate/text and (b) GET /auth/me, and records it with py-spy (raw collapsed stacks, idle
threads left out, not pausing the process). Writes bench/profiles/<date>-<label>-{text,auth_me}.txt (the shares by area and
the top functions by own and total time) and, beside each, the collapsed stacks
(`-all.collapsed.gz`, `-gil.collapsed.gz`, shortened file names) for a flame graph:
`zcat X.collapsed.gz | flamegraph.pl > X.svg` (or load it in speedscope)."""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.arms import ROOT, start_platform
from bench.common import Bench, Settings, bearer
from bench.cpu import TICKS_PER_S, cpu_ms_per_request
from bench.hot_paths import ME, SATURATION
from bench.run import machine
from bench.served import ROUTE, scrape, settled
from bench.stacks import collapsed, parse, shares, tables, without_waits
from bench.wrk import Shape, finish, run_wrk, start_wrk

API_CODE = ("domain", "application", "adapters", "entrypoints")
TARGETS = {"text": "POST /generate/text", "auth_me": "GET /auth/me"}


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: pip install 'py-spy==0.4.3' (the dev extras)")
    return found


def record(pid: int, seconds: int, rate: int, cores: frozenset[int] | None, *flags: str) -> str:
    """py-spy's raw collapsed stacks of `pid` over `seconds` (it runs on the load cores)."""
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as out:
        path = Path(out.name)
    argv = [py_spy(), "record", "--format", "raw", "--rate", str(rate), "--pid", str(pid)]
    argv += ["--duration", str(seconds), "--nonblocking", "--full-filenames", "--function"]
    argv += ["--subprocesses"]  # a server that forks its workers (granian) is recorded whole
    argv += [*flags, "--output", str(path)]

    def preexec() -> None:
        if cores:
            os.sched_setaffinity(0, cores)

    done = subprocess.run(argv, capture_output=True, text=True, check=False, preexec_fn=preexec)
    if done.returncode != 0 or not path.exists():
        raise RuntimeError(f"py-spy failed ({done.returncode}): {done.stderr[-2000:]}")
    text = path.read_text()
    path.unlink()
    return text


def git_state() -> str:
    def git(*args: str) -> str:
        found = subprocess.run(
            ["git", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return found.stdout.strip()

    head = git("log", "-1", "--format=%h %s")[:100]
    api = git("log", "-1", "--format=%h", "--", *API_CODE)
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", *API_CODE)
    return f"{head}; the API's code as of {api}" + (" with uncommitted changes" if dirty else "")


# each route is recorded twice under the same load: every thread that works (py-spy leaves
# idle threads out; `bench.stacks` the waits it misses), then only the thread holding the GIL
# (the event loop's share of the one core; DuckDB and hashing work without the GIL)
PASSES = {"all": (), "gil": ("--gil",)}


def profile_one(
    bench: Bench, target: str, seconds: int, rate: int, connections: int = SATURATION
) -> tuple[dict[str, str], dict[str, float]]:
    """Load one route, record the API; (raw stacks by pass, figures while recorded)."""
    p = bench.p
    if target == "text":
        url, shape = bench.text_arms()["ours"]
        route = ROUTE
    else:
        url, shape, route = p.ours.url, Shape(*ME, (bearer(bench.token(p.ours.url)),)), ME
    run_wrk(url, shape, connections=connections, seconds=2, cores=p.cores.load)  # warm-up
    settled(p.ours.url, route)  # the warm-up's requests are answered
    # wrk runs until the passes are done (py-spy's start-up varies on a busy machine), then
    # SIGINT: wrk stops and reports
    load = start_wrk(url, shape, connections=connections, seconds=3600, cores=p.cores.load)
    raw: dict[str, str] = {}
    figures: dict[str, float] = {}
    try:
        time.sleep(1.5)  # record once the load is steady
        assert p.ours.process is not None
        for name, flags in PASSES.items():
            ticks, count = p.ours.cpu_ticks(), scrape(p.ours.url, route).total
            started = time.monotonic()
            raw[name] = record(p.ours.process.pid, seconds, rate, p.cores.load, *flags)
            elapsed = time.monotonic() - started
            ticks, count = p.ours.cpu_ticks() - ticks, scrape(p.ours.url, route).total - count
            figures |= {
                f"{name}_rps": count / elapsed,
                f"{name}_cpu_ms": cpu_ms_per_request(ticks, count),
                f"{name}_cores": ticks / TICKS_PER_S / elapsed,  # share of a core the API used
            }
    finally:
        load[0].send_signal(signal.SIGINT)
    figures["errors"] = float(finish(load).errors)  # wrk's: refused, timeouts, non-2xx
    figures["seconds"] = seconds
    return raw, figures


def section(name: str, stem: str, text: str, figures: dict[str, float], rate: int) -> str:
    """One pass: what was recorded, how it splits, and the tables."""
    stacks, waiting = without_waits(parse(text, str(ROOT)))
    found = shares(stacks)
    lines = [
        f"{found.samples:,} samples ({len(stacks):,} distinct stacks; {waiting:,} more left "
        f"out as waits); {figures[f'{name}_rps']:,.0f} answers/s, CPU "
        f"{figures[f'{name}_cpu_ms']:.2f} ms per request, the API using "
        f"{figures[f'{name}_cores']:.0%} of its core while recorded."
    ]
    if name == "gil":
        held = found.samples / (rate * figures["seconds"])
        lines.append(
            f"A thread held the GIL {held:.0%} of the time (on a quiet core, the CPU beyond it "
            "is work without the GIL: DuckDB's queries, hashing, some writes; on a shared core "
            "the holder is also descheduled while it holds it)."
        )
    title = "All threads at work" if name == "all" else "The thread holding the GIL"
    head = f"## {title} (`{stem}-{name}.collapsed.gz`)\n\n" + " ".join(lines) + "\n\n"
    return head + tables(found, level="###")


def write(
    out: Path, stem: str, raw: dict[str, str], header: list[str], f: dict[str, float], rate: int
) -> Path:
    """The shares as text; the collapsed stacks of each pass gzipped beside them."""
    out.mkdir(parents=True, exist_ok=True)
    sections = [section(name, stem, text, f, rate) for name, text in raw.items()]
    for name, text in raw.items():
        stacks, _ = without_waits(parse(text, str(ROOT)))
        with gzip.open(out / f"{stem}-{name}.collapsed.gz", "wt", compresslevel=9) as kept:
            kept.write(collapsed(stacks))
    (out / f"{stem}.txt").write_text("\n".join(header) + "\n\n" + "\n".join(sections))
    return out / f"{stem}.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", required=True, help="before / after / a lever's name")
    parser.add_argument("--seconds", type=int, default=10, help="recorded, per route")
    parser.add_argument("--rate", type=int, default=500, help="py-spy samples per second")
    parser.add_argument("--only", nargs="*", choices=list(TARGETS), default=list(TARGETS))
    parser.add_argument("--connections", type=int, default=SATURATION, help="1: the latency path")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "profiles")
    args = parser.parse_args()
    py_spy()
    date = datetime.now(UTC)
    with ExitStack() as stack:
        platform = start_platform(stack, with_litellm=False)
        if platform.cores.load:
            os.sched_setaffinity(0, platform.cores.load)
        bench = Bench(platform, Settings())
        for target in args.only:
            raw, f = profile_one(bench, target, args.seconds, args.rate, args.connections)
            what = TARGETS[target]
            header = [
                f"# Profile of {what} under load, label {args.label!r}",
                "",
                f"- taken {date:%Y-%m-%d %H:%M} UTC by `python -m bench.profile --label "
                f"{args.label}` on {machine()}; {platform.cores.describe()}",
                f"- code: {git_state()}",
                f"- load: wrk, {args.connections} connections, simulator answering at once; "
                f"py-spy record --rate {args.rate} --nonblocking --function --subprocesses, "
                f"{args.seconds} s for each pass (all threads, then --gil)",
                f"- while recorded: {f['all_rps']:,.0f} and {f['gil_rps']:,.0f} answers/s "
                f"(the server's count), CPU {f['all_cpu_ms']:.2f} and {f['gil_cpu_ms']:.2f} ms "
                f"per request (utime + stime / answers); {f['errors']:.0f} error answers",
                "- the all-threads pass counts a thread that waits for the core or the GIL as "
                "at work; the GIL pass is the Python work, which runs one thread at a time",
            ]
            stem = f"{date:%Y-%m-%d}-{args.label}-{target}"
            written = write(args.out, stem, raw, header, f, args.rate)
            print(f"{what}: {f['all_rps']:,.0f} req/s, {f['all_cpu_ms']:.2f} ms CPU; {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
