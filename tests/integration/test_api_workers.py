"""`allucanget api --workers N`: N processes on one port with PostgreSQL, each with its own
container; refused on DuckDB (one writer process); a dead worker is replaced, and SIGTERM
stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.multiprocess import bearer, signed_in, signed_up
from tests.servers import Server, free_port, server_env

ADMIN = {"ALLUCANGET_ADMIN_EMAIL": "root@example.com", "ALLUCANGET_ADMIN_PASSWORD": "x" * 20}


def workers_of(parent: int) -> set[int]:
    """The worker processes uvicorn spawned (its resource tracker, if any, left out)."""
    found = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
                found.add(int(child))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"


def test_duckdb_refuses_a_second_worker_before_opening_anything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    argv = [sys.executable, "-m", "entrypoints.cli", "api", "--workers", "2"]
    argv += ["--data-dir", str(data), "--api-port", str(free_port())]
    done = subprocess.run(
        argv, env=server_env(), cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "--workers 2 needs PostgreSQL" in done.stderr
    assert "the DuckDB file allows one API process" in done.stderr
    assert not (data / "allucanget.duckdb").exists()


def test_the_environment_sets_the_workers_too(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "entrypoints.cli", "api", "--api-port", str(free_port())]
    argv += ["--data-dir", str(tmp_path / "data")]
    env = server_env(ALLUCANGET_API_WORKERS="3")
    done = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--workers 3 needs PostgreSQL" in done.stderr


def test_two_workers_serve_one_port_are_replaced_and_stop_together(
    pg_url: str, tmp_path: Path
) -> None:
    env = server_env(ALLUCANGET_DATABASE_URL=pg_url, **ADMIN)  # both workers bootstrap at once
    server = Server("api", tmp_path / "data", env)
    server.start("--workers", "2")
    assert server.process is not None
    try:
        workers = workers_of(server.process.pid)
        assert len(workers) == 2, workers
        tokens = signed_up(server.url, "ada@example.com")
        for _ in range(20):  # new connections, spread by the kernel over both workers
            me = httpx.get(f"{server.url}/auth/me", headers=bearer(tokens))
            assert me.status_code == 200 and me.json()["email"] == "ada@example.com"
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # uvicorn's supervisor notices and replaces it
            replaced = workers_of(server.process.pid)
            if len(replaced) == 2 and victim not in replaced:
                break
            time.sleep(0.2)
        assert len(replaced) == 2 and victim not in replaced, replaced
        server.wait_until_healthy()
        assert signed_in(server.url, "ada@example.com")["user"]["email"] == "ada@example.com"
        assert signed_in(server.url, *ADMIN.values())["user"]["role"] == "admin"
    finally:
        code = server.stop()
    assert code == 0, server.log()
    assert not any(alive(pid) for pid in replaced | workers)
