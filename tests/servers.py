"""Real servers as child processes on loopback, for the integration and e2e layers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SECRET = "real-server-tests-signing-key-0123456789abcdef"
CHEAP_HASHING = {  # the OWASP floor (security.md #1): valid settings, fast enough for tests
    "ALLUCANGET_ARGON2_MEMORY_KIB": "19456",
    "ALLUCANGET_ARGON2_TIME_COST": "2",
    "ALLUCANGET_ARGON2_PARALLELISM": "1",
}
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(**overrides: str) -> dict[str, str]:
    """The environment without the developer's own settings, plus test defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLUCANGET_", "OPENROUTER"))}
    env.update(CHEAP_HASHING, ALLUCANGET_SECRET_KEY=SECRET, ALLUCANGET_LOG_LEVEL="WARNING")
    env.update(overrides)
    return env


@dataclass
class Server:
    """`allucanget <command>` in a child process, bound to 127.0.0.1 only."""

    command: str
    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"{self.command}-{self.port}.log"

    def start(self, *extra: str) -> Server:
        port_flag = "--api-port" if self.command == "api" else "--web-port"
        argv = [
            sys.executable,
            "-m",
            "entrypoints.cli",
            self.command,
            "--host",
            "127.0.0.1",
            "--data-dir",
            str(self.data_dir),
            port_flag,
            str(self.port),
            *extra,
        ]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:  # cwd outside the repo: no stray .env is read
            self.process = subprocess.Popen(
                argv, env=self.env, cwd=self.data_dir.parent, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_until_healthy()
        return self

    def wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.command} exited {self.process.returncode}:\n{self.log()}"
                )
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"{self.command} not healthy after {STARTUP_TIMEOUT_S} s:\n{self.log()}")

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.terminate()
        try:
            return self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL (`kill -9`): no shutdown, no checkpoint."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


SIMULATOR_KEY = "sk-or-v1-test-simulator"


@dataclass
class Simulator:
    """The OpenRouter simulator (`python -m simulator`) as a child process on loopback."""

    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/v1"

    def start(self, *extra: str) -> Simulator:
        argv = [
            sys.executable,
            "-m",
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--api-key",
            SIMULATOR_KEY,
            "--log-level",
            "warning",
            *extra,
        ]
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / f"simulator-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                argv, cwd=self.root, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.origin}/__sim/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the simulator did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(STOP_TIMEOUT_S)
