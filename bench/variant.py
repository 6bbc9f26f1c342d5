"""The API with text generations recorded in memory instead of DuckDB (scenario 5's
baseline): everything else (auth, validation, gateway, server) is the real thing.

    python bench/variant.py --port 9001   (settings from ALLUCANGET_* / OPENROUTER_* as usual)
"""

from __future__ import annotations

import argparse

import uvicorn
from dependency_injector import providers

from domain.generations import Generation
from entrypoints.api.app import create_app
from entrypoints.api.server import uvicorn_config
from entrypoints.container import Container
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings


class MemoryRecorder:
    """The GenerationRecorder port, holding generations in a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, Generation] = {}

    async def record(self, generation: Generation) -> None:
        self.rows[generation.id] = generation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(api_port=args.port)
    configure_logging(settings.log_level)
    container = Container(settings=settings)
    container.recorder.override(providers.Object(MemoryRecorder()))
    app = create_app(settings, container)
    uvicorn.Server(uvicorn_config(app, settings.host, settings.api_port)).run()


if __name__ == "__main__":
    main()
