"""The processes of a bench run: start pinned to cores, wait until they answer, watch RSS, stop."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class CorePlan:
    """The system under test on its own core; load generator and simulator on the others."""

    sut: frozenset[int] | None
    load: frozenset[int] | None

    @classmethod
    def for_machine(cls) -> CorePlan:
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) < 2:
            return cls(None, None)  # one core: nothing to separate, say so in the report
        return cls(frozenset(cores[-1:]), frozenset(cores[:-1]))

    @property
    def sut_cores(self) -> int:
        return len(self.sut) if self.sut else len(os.sched_getaffinity(0))

    def describe(self) -> str:
        if self.sut is None:
            return "not pinned (one core)"
        return f"system under test on core {sorted(self.sut)}, load and simulator on {sorted(self.load or ())}"


def pinned(cores: frozenset[int] | None) -> object:
    def preexec() -> None:
        os.setsid()
        if cores:
            os.sched_setaffinity(0, cores)

    return preexec


@dataclass
class Proc:
    """One server. `ready` is a path that answers below 500 once the server is up."""

    name: str
    argv: list[str]
    port: int
    ready: str
    log_dir: Path
    cores: frozenset[int] | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 90) -> Proc:
        log = (self.log_dir / f"{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=pinned(self.cores),  # type: ignore[arg-type]
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {log.name}")
            try:
                if httpx.get(self.url + self.ready, timeout=2).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=5)

    def cpu_ticks(self) -> int:
        """User + system clock ticks of the process and its children so far."""
        return tree_ticks(self.process.pid) if self.process is not None else 0

    def wait_idle(self, max_s: float = 3.0, busy_share: float = 0.1) -> float:
        """Wait until the server has worked off what it still holds (under 10 % of a core
        for half a second), so one arm's backlog does not weigh on the next; seconds waited."""
        started = time.monotonic()
        tick = os.sysconf("SC_CLK_TCK")
        while time.monotonic() - started < max_s:
            before = self.cpu_ticks()
            time.sleep(0.5)
            if (self.cpu_ticks() - before) / tick < busy_share * 0.5:
                break
        return time.monotonic() - started

    def rss_kib(self) -> int:
        """Resident memory of the process and its children (LiteLLM may fork workers)."""
        if self.process is None:
            return 0
        return sum(_rss_kib(pid) for pid in _tree(self.process.pid))


def tree_ticks(root: int) -> int:
    """User + system clock ticks (utime + stime in /proc/<pid>/stat) of a process and its
    living descendants so far."""
    total = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss:
    """Samples a server's RSS every 50 ms while in use; `peak_mib` is the highest seen."""

    def __init__(self, proc: Proc, every_s: float = 0.05) -> None:
        self.proc, self.every_s, self.peak = proc, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.rss_kib())
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak / 1024
