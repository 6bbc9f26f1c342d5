"""`allucanget demo`: the platform offline against the OpenRouter simulator, with a demo admin."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from entrypoints.settings import Settings
from entrypoints.supervisor import supervise

DEMO_ADMIN = "admin@demo.allucanget.local"
SIMULATOR_KEY = "sk-or-v1-simulator-demo"


def demo_password(data_dir: Path) -> str:
    """Random per data directory and kept there (mode 0600): no default credentials."""
    path = data_dir / "demo_admin_password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password)
    return password


def run_demo(settings: Settings, simulator_port: int) -> int:
    password = demo_password(settings.data_dir)
    simulator = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        [
            sys.executable,
            "-m",
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(simulator_port),
            "--api-key",
            SIMULATOR_KEY,
            "--chunk-delay-ms",
            "40",
            "--log-level",
            "warning",
        ],
    )
    os.environ.update(
        OPENROUTER_BASE_URL=f"http://127.0.0.1:{simulator_port}/api/v1",
        OPENROUTER_API_KEY=SIMULATOR_KEY,
        ALLUCANGET_DEMO_MODE="true",
        ALLUCANGET_ADMIN_EMAIL=DEMO_ADMIN,
        ALLUCANGET_ADMIN_PASSWORD=password,
    )
    print(
        f"allucanget demo: answers are SIMULATED (no real AI model is called).\n"
        f"  sign in as {DEMO_ADMIN} with password {password}",
        flush=True,
    )
    try:
        return supervise(settings)
    finally:
        simulator.terminate()
        simulator.wait(10)
