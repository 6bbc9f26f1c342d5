"""A throwaway PostgreSQL cluster for the bench, started the way tests/postgres.py starts
the tests' one (Debian's binaries, initdb as `postgres` when we are root, a loopback port and
a Unix socket in a temporary directory), but durable as a deployment would run it: fsync and
synchronous commit stay on, so a generation's COMMIT costs here what it costs in production."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.procs import free_port

SETTINGS = "-c max_connections=200 -c listen_addresses=127.0.0.1 -c shared_buffers=128MB"


def bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name.split(".")[0]),
    )
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PgCluster:
    root: Path
    port: int
    version: str

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create(self, database: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {database}".encode())
        return self.url(database)

    def postmaster_pid(self) -> int:
        return int((self.root / "data" / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        subprocess.run(
            _as_owner(
                [str(bin_dir() / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> PgCluster:
    binaries = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="allucanget-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    init = subprocess.run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(root / "data"),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr}")
    port = free_port()
    started = subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(root / "data"),
                "-l",
                str(root / "log"),
                "-w",
                "-o",
                f"{SETTINGS} -p {port} -k {root}",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    return PgCluster(root, port, binaries.parent.name)
