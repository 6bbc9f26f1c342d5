"""uvicorn serving: `run()` in the foreground, `running_simulator()` in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from simulator.app import create_app
from simulator.config import SimulatorConfig

API_PATH = "/api/v1"


def _uvicorn_config(
    config: SimulatorConfig, host: str, port: int, log_level: str
) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(config),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        backlog=4096,
        timeout_graceful_shutdown=1,
    )


def run(
    host: str = "127.0.0.1",
    port: int = 8100,
    config: SimulatorConfig | None = None,
    log_level: str = "info",
) -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM)."""
    uvicorn.Server(_uvicorn_config(config or SimulatorConfig(), host, port, log_level)).run()


@contextmanager
def running_simulator(
    config: SimulatorConfig | None = None, host: str = "127.0.0.1", log_level: str = "warning"
) -> Iterator[str]:
    """Run a simulator on a free loopback port in a thread; yields its base URL
    (`http://127.0.0.1:PORT/api/v1`) and stops it on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(_uvicorn_config(config or SimulatorConfig(), host, port, log_level))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"simulator-{port}", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
        yield f"http://{host}:{port}{API_PATH}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
