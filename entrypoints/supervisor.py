"""`allucanget serve`: the API and the web UI as two child processes, stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

from entrypoints.settings import Settings

GRACE_S = 15


def _child(command: str, settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        ALLUCANGET_HOST=settings.host,
        ALLUCANGET_API_PORT=str(settings.api_port),
        ALLUCANGET_WEB_PORT=str(settings.web_port),
        ALLUCANGET_DATA_DIR=str(settings.data_dir),
        ALLUCANGET_API_URL=str(settings.api_url),
        ALLUCANGET_API_WORKERS=str(settings.api_workers),
    )
    return subprocess.Popen([sys.executable, "-m", "entrypoints.cli", command], env=env)  # noqa: S603


def supervise(settings: Settings) -> int:
    settings.resolved_secret()  # create the shared key once, before both children read it
    children = [_child("api", settings), _child("web", settings)]
    print(
        f"allucanget: API on {settings.api_url}, web UI on "
        f"http://{settings.host}:{settings.web_port} (Ctrl-C stops both)",
        flush=True,
    )
    stopping = False

    def _stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    code = 0
    while not stopping:
        exited = [child for child in children if child.poll() is not None]
        if exited:
            code = exited[0].returncode or 1
            break
        time.sleep(0.2)
    _terminate(children)
    return code


def _terminate(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_S
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
