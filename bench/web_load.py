"""The web UI under slow generations: do the sign-in and history pages still answer?

Starts the simulator with a long latency (every model call waits --latency-s), the API and
the web UI on loopback, signs in USERS people through the web UI, opens --generations text
generations through the no-JavaScript form (each holds a waitress thread while the model
"thinks"), then times GET /login (anonymous) and GET /history (a signed-in person with no
generation of their own) one after another until --probes each or --probe-s seconds.

    PYTHONPATH=. python bench/web_load.py                     # 8 threads, then the default
    PYTHONPATH=. python bench/web_load.py --threads 128 --generations 64

Every request goes to 127.0.0.1; the loops are bounded in count and time.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.procs import Proc, free_port

ROOT = Path(__file__).resolve().parent.parent
SIM_KEY = "sk-or-v1-bench-web-load"
PASSWORD = "correct horse battery staple"  # noqa: S105 (a bench account)
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
MODEL = "openai/gpt-4o-mini"
CHEAP_HASHING = {
    "ALLUCANGET_ARGON2_MEMORY_KIB": "19456",
    "ALLUCANGET_ARGON2_TIME_COST": "2",
    "ALLUCANGET_ARGON2_PARALLELISM": "1",
}


@dataclass(frozen=True, slots=True)
class Figures:
    threads: int
    generations: int
    in_flight: int
    login_ms: list[float]
    history_ms: list[float]
    timeouts: int


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLUCANGET_", "OPENROUTER"))}
    env.update(
        CHEAP_HASHING,
        ALLUCANGET_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        ALLUCANGET_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@contextmanager
def platform(work: Path, latency_ms: int, threads: int) -> Iterator[str]:
    """Simulator, API and web UI; yields the web UI's URL; everything stopped after."""
    python = sys.executable
    with ExitStack() as stack:
        port = free_port()
        simulator = Proc(
            "simulator",
            [
                python,
                "-m",
                "simulator",
                "--port",
                str(port),
                "--api-key",
                SIM_KEY,
                "--latency-ms",
                str(latency_ms),
                "--log-level",
                "warning",
            ],
            port,
            "/__sim/health",
            work,
            env=_env(work),
        )
        stack.callback(simulator.stop)
        simulator.start()
        secret = secrets.token_hex(32)
        port = free_port()
        api = Proc(
            "api",
            [
                python,
                "-m",
                "entrypoints.cli",
                "api",
                "--host",
                "127.0.0.1",
                "--api-port",
                str(port),
                "--data-dir",
                str(work / "data"),
            ],
            port,
            "/healthz",
            work,
            env=_env(
                work / "data",
                ALLUCANGET_SECRET_KEY=secret,
                OPENROUTER_API_KEY=SIM_KEY,
                OPENROUTER_BASE_URL=simulator.url + "/api/v1",
            ),
        )
        stack.callback(api.stop)
        api.start()
        port = free_port()
        web = Proc(
            "web",
            [
                python,
                "-m",
                "entrypoints.cli",
                "web",
                "--host",
                "127.0.0.1",
                "--web-port",
                str(port),
                "--data-dir",
                str(work / "data"),
            ],
            port,
            "/healthz",
            work,
            env=_env(
                work / "data",
                ALLUCANGET_SECRET_KEY=secret,
                ALLUCANGET_API_URL=api.url,
                ALLUCANGET_WEB_THREADS=str(threads),
            ),
        )
        stack.callback(web.stop)
        web.start()
        yield web.url


def signed_in(web: str, email: str) -> httpx.Client:
    """A browser of its own (cookie jar), registered and signed in through the web UI."""
    client = httpx.Client(base_url=web, timeout=httpx.Timeout(600.0, connect=10.0))
    token = _csrf(client, "/register")
    data = {"email": email, "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token}
    answer = client.post("/register", data=data)
    if answer.status_code != 302:
        raise RuntimeError(f"register {email}: {answer.status_code}")
    return client


def _csrf(client: httpx.Client, path: str) -> str:
    match = CSRF.search(client.get(path).text)
    if match is None:
        raise RuntimeError(f"no CSRF token on {path}")
    return match.group(1)


def generate(client: httpx.Client, token: str, answers: list[int]) -> None:
    form = {"model": MODEL, "prompt": "Think slowly.", "csrf_token": token}
    try:
        answers.append(client.post("/text", data=form).status_code)
    except httpx.HTTPError:
        answers.append(0)


def probe(client: httpx.Client, path: str, count: int, deadline: float) -> tuple[list[float], int]:
    """Sequential GETs; milliseconds of each that answered 200, and how many did not."""
    timings, failed = [], 0
    for _ in range(count):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        started = time.perf_counter()
        try:
            status = client.get(path, timeout=left).status_code
        except httpx.HTTPError:
            failed += 1
            continue
        if status == 200:
            timings.append((time.perf_counter() - started) * 1000)
        else:
            failed += 1
    return timings, failed


def run(args: argparse.Namespace, threads: int) -> Figures:
    with (
        tempfile.TemporaryDirectory(prefix="web-load-") as tmp,
        platform(Path(tmp), int(args.latency_s * 1000), threads) as web,
    ):
        users = [signed_in(web, f"load{n}@example.com") for n in range(args.users)]
        watcher = signed_in(web, "watcher@example.com")
        tokens = [_csrf(user, "/text") for user in users]
        answers: list[int] = []
        workers = [
            threading.Thread(
                target=generate,
                args=(users[n % len(users)], tokens[n % len(users)], answers),
                daemon=True,
            )
            for n in range(args.generations)
        ]
        for worker in workers:
            worker.start()
        time.sleep(args.settle_s)  # the generations reach the model and wait there
        in_flight = sum(worker.is_alive() for worker in workers)
        deadline = time.monotonic() + args.probe_s
        with httpx.Client(base_url=web) as anonymous:
            login, login_failed = probe(anonymous, "/login", args.probes, deadline)
        history, history_failed = probe(watcher, "/history", args.probes, deadline)
        for client in [*users, watcher]:
            client.close()
        return Figures(
            threads, args.generations, in_flight, login, history, login_failed + history_failed
        )


def report(figures: Figures) -> None:
    print(
        f"web threads {figures.threads}: {figures.in_flight} of {figures.generations} "
        f"generations in flight while probing"
    )
    for name, values in (("GET /login", figures.login_ms), ("GET /history", figures.history_ms)):
        if not values:
            print(f"  {name:13} no answer within the probe time")
            continue
        print(
            f"  {name:13} n={len(values):4}  p50 {statistics.median(values):8.1f} ms  "
            f"p99 {percentile(values, 0.99):8.1f} ms  max {max(values):8.1f} ms"
        )
    if figures.timeouts:
        print(f"  {figures.timeouts} probes failed or ran out of time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--threads",
        type=int,
        action="append",
        help="web UI threads (repeatable); default: 8 (the old figure), 128",
    )
    parser.add_argument("--generations", type=int, default=64)
    parser.add_argument("--users", type=int, default=8, help="generations spread over them")
    parser.add_argument("--latency-s", type=float, default=30.0, help="the model's delay")
    parser.add_argument("--settle-s", type=float, default=4.0)
    parser.add_argument("--probes", type=int, default=200, help="GETs per page")
    parser.add_argument("--probe-s", type=float, default=20.0, help="time for all probes")
    args = parser.parse_args()
    for threads in args.threads or [8, 128]:
        report(run(args, threads))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
