"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The cluster is Debian's `postgresql` package (/usr/lib/postgresql/<v>/bin, installed by
`make postgres` and .ci/run), initialised in a temporary directory (as the `postgres` user
when we are root: initdb refuses root), listening on a free loopback port and on a Unix
socket in that directory, without durability (fsync off: a crash loses nothing we keep).
A system cluster that the package may have started is never used.

Each test gets its own database, copied from a template migrated once per session
(`CREATE DATABASE ... TEMPLATE`, a file copy: milliseconds). If the server cannot start,
the tests that need it fail and say why; they are never skipped."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from adapters.postgres.migrate import migrate

TEMPLATE = "allucanget_template"
_numbers = itertools.count(1)
OWNER = "owner.pid"
SETTINGS = "-c max_connections=300 -c listen_addresses=127.0.0.1 -c shared_buffers=64MB"
THROWAWAY = " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found:
        pytest.fail(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "run `make postgres` or `apt-get install postgresql`",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _version(path: str) -> int:
    return int(Path(path).parent.parent.name.split(".")[0])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PgServer:
    """A running cluster: `url(name)` is a database's URL on the loopback port."""

    root: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self) -> str:
        """A new database copied from the migrated template; its name."""
        name = f"t_{os.getpid()}_{next(_numbers)}"
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}".encode())
        return name

    def create_empty_database(self) -> str:
        """A new database without any table (to run the migrations on); its name."""
        name = f"t_{os.getpid()}_{next(_numbers)}"
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name}".encode())
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as admin:  # FORCE: a server under test may still hold connections
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())


def _as_owner(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr or done.stdout}", False)


def start_cluster(*, durable: bool = False) -> PgServer:
    """A new cluster; `durable` keeps PostgreSQL's defaults (every commit flushed to disk),
    for measurements, instead of the tests' throwaway settings."""
    binaries = bin_dir()
    stop_orphans()
    as_root = os.geteuid() == 0  # then the `postgres` user must reach it: not under $TMPDIR
    root = Path(tempfile.mkdtemp(prefix="allucanget-pg-", dir="/tmp" if as_root else None))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    (root / OWNER).write_text(str(os.getpid()))  # whose cluster: see stop_orphans
    data = root / "data"
    _run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        "initdb",
    )
    for attempt in range(3):
        port = free_port()
        options = f"{SETTINGS}{'' if durable else THROWAWAY} -p {port} -k {root}"
        command = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
        started = subprocess.run(
            _as_owner([*command, "-o", options, "start"]),
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode == 0:
            return PgServer(root, port)
        if attempt == 2:
            log = (root / "log").read_text() if (root / "log").exists() else ""
            stop_cluster(PgServer(root, port))
            pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log}", pytrace=False)
    raise AssertionError("unreachable")


def stop_orphans() -> None:
    """Stop and remove the clusters of earlier test sessions that were killed before their
    teardown (kill -9, a timeout): those whose owning process is gone. A running session's
    cluster is left alone."""
    for owner in Path("/tmp").glob(f"allucanget-pg-*/{OWNER}"):
        try:
            os.kill(int(owner.read_text()), 0)
        except ProcessLookupError:
            stop_cluster(PgServer(owner.parent, 0))
        except (OSError, ValueError):
            continue  # alive under another user, or unreadable: not ours to judge


def stop_cluster(server: PgServer) -> None:
    pg_ctl = bin_dir() / "pg_ctl"
    subprocess.run(
        _as_owner([str(pg_ctl), "-D", str(server.root / "data"), "-m", "immediate", "stop"]),
        capture_output=True,
        check=False,
    )
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_cluster()
    try:
        with server.admin() as admin:
            admin.execute(f"CREATE DATABASE {TEMPLATE}".encode())
        with psycopg.connect(server.url(TEMPLATE), autocommit=True) as connection:
            migrate(connection)
        yield server
    finally:
        stop_cluster(server)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, migrated database of its own for one test; dropped after it."""
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)
