"""The per-request user check on PostgreSQL: (a) a database read per request, what the API
runs, against (b) an in-process cache invalidated by LISTEN/NOTIFY (adapters/postgres/
user_events.py). GET /auth/me under wrk, one API process, the two arms alternated.

    python -m bench.user_check --database-url postgresql://... [--rounds 3] [--seconds 10]
    python -m bench.user_check serve --mode read|notify --port P   (one arm; used by the above)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from bench.procs import free_port
from bench.wrk import Shape, WrkResult, run_wrk

PASSWORD = "correct horse battery staple"  # noqa: S105 (a bench account)
CHEAP = {
    "ALLUCANGET_ARGON2_MEMORY_KIB": "19456",
    "ALLUCANGET_ARGON2_TIME_COST": "2",
    "ALLUCANGET_ARGON2_PARALLELISM": "1",
}


def serve(mode: str, port: int) -> None:
    from adapters.postgres.database import PgDatabase
    from adapters.postgres.user_events import ListenedUserCache, UserEventListener
    from entrypoints.api.app import create_app
    from entrypoints.api.server import uvicorn_config
    from entrypoints.container import Container
    from entrypoints.logs import configure_logging
    from entrypoints.settings import load_settings

    settings = load_settings(api_port=port)
    configure_logging(settings.log_level)
    container = Container(settings=settings)
    container.init_resources()
    app = create_app(settings, container)
    database = container.database()
    if mode == "notify" and isinstance(database, PgDatabase):
        cache = ListenedUserCache()
        database.user_cache = cache
        assert settings.database_url is not None
        listener = UserEventListener(settings.database_url.get_secret_value(), cache)
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(application: FastAPI) -> AsyncIterator[None]:
            async with inner(application):
                listener.start()
                await listener.connected.wait()
                yield
                await listener.stop()

        app.router.lifespan_context = lifespan
    uvicorn.Server(uvicorn_config(app, settings.host, settings.api_port)).run()


def one_arm(mode: str, url: str, seconds: float, connections: int) -> WrkResult:
    port = free_port()
    env = {**os.environ, **CHEAP, "ALLUCANGET_DATABASE_URL": url, "ALLUCANGET_LOG_LEVEL": "WARNING"}
    env["ALLUCANGET_SECRET_KEY"] = "bench-user-check-signing-key-0123456789abcdef"  # noqa: S105
    with tempfile.TemporaryDirectory() as data:
        env["ALLUCANGET_DATA_DIR"] = data
        argv = [sys.executable, "-m", "bench.user_check", "serve", "--mode", mode]
        server = subprocess.Popen([*argv, "--port", str(port)], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            email = f"{uuid.uuid4().hex[:12]}@example.com"
            httpx.post(f"{base}/auth/register", json={"email": email, "password": PASSWORD})
            login = httpx.post(f"{base}/auth/login", json={"email": email, "password": PASSWORD})
            token = login.json()["access_token"]
            shape = Shape("GET", "/auth/me", (("Authorization", f"Bearer {token}"),))
            run_wrk(base, shape, connections=connections, seconds=2, cores=None)  # warm up
            return run_wrk(base, shape, connections=connections, seconds=seconds, cores=None)
        finally:
            server.terminate()
            server.wait(30)


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        parser = argparse.ArgumentParser()
        parser.add_argument("serve")
        parser.add_argument("--mode", choices=["read", "notify"], required=True)
        parser.add_argument("--port", type=int, required=True)
        args = parser.parse_args()
        serve(args.mode, args.port)
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    results: dict[str, list[WrkResult]] = {"read": [], "notify": []}
    for _ in range(args.rounds):
        for mode in results:
            figures = one_arm(mode, args.database_url, args.seconds, args.connections)
            results[mode].append(figures)
            print(
                f"{mode:6} {figures.rps:8.0f} req/s  p50 {figures.p50_ms:6.2f} ms  "
                f"p99 {figures.p99_ms:6.2f} ms  errors {figures.errors}",
                flush=True,
            )
    for mode, runs in results.items():
        rps = statistics.median(r.rps for r in runs)
        p50 = statistics.median(r.p50_ms for r in runs)
        print(f"median {mode:6} {rps:8.0f} req/s  p50 {p50:6.2f} ms")


if __name__ == "__main__":
    main()
