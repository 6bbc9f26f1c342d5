"""End-to-end: the API and the web UI as real processes, driven by headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.servers import SIMULATOR_KEY, Server, Simulator, server_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ACCESS_TTL_S = 3  # short-lived access tokens, so a test can watch one expire
# Between streamed words: slow enough that a person (and a test) sees the answer grow.
CHUNK_DELAY_MS = 150


@dataclass
class Platform:
    api: Server
    web: Server


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    root = tmp_path_factory.mktemp("e2e")
    env = server_env(ALLUCANGET_ACCESS_TOKEN_TTL_S=str(ACCESS_TTL_S))
    api = Server("api", root / "data", env).start()
    web = Server("web", root / "data", {**env, "ALLUCANGET_API_URL": api.url}).start()
    yield Platform(api, web)
    web.stop()
    api.stop()


# Module scope: Playwright's sync API keeps an event loop running in this thread while it
# is open, which would break the asyncio tests collected after the e2e modules.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@dataclass
class GenerationPlatform:
    simulator: Simulator
    api: Server
    web: Server


@contextmanager
def simulated_platform(
    root: Path, simulator_args: Sequence[str] = (), **env: str
) -> Iterator[GenerationPlatform]:
    """The simulator, the API pointed at it and the web UI, as processes; all stopped after."""
    simulator = Simulator(root).start(*simulator_args)
    environment = server_env(
        OPENROUTER_BASE_URL=simulator.base_url, OPENROUTER_API_KEY=SIMULATOR_KEY, **env
    )
    servers: list[Server] = []
    try:
        servers.append(Server("api", root / "data", environment).start())
        web_env = {**environment, "ALLUCANGET_API_URL": servers[0].url}
        servers.append(Server("web", root / "data", web_env).start())
        yield GenerationPlatform(simulator, servers[0], servers[1])
    finally:
        for server in reversed(servers):
            server.stop()
        simulator.stop()


@pytest.fixture(scope="module")
def generation_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerationPlatform]:
    """API and web UI against the simulator, streaming one word every CHUNK_DELAY_MS."""
    root = tmp_path_factory.mktemp("e2e-generation")
    args = ("--chunk-delay-ms", str(CHUNK_DELAY_MS))
    with simulated_platform(root, args, ALLUCANGET_DEMO_MODE="true") as platform:
        yield platform


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where pages are photographed: ALLUCANGET_E2E_SCREENSHOTS (e.g. docs/) or a temp dir."""
    folder = os.environ.get("ALLUCANGET_E2E_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
