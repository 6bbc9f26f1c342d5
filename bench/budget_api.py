"""What the budget check adds to POST /generate/text, one request at a time, through the
real app (FastAPI, container, DuckDB file) with an instant in-process model: p50 without
any budget code, with an unlimited budget (no reservation, the cost written once) and with
a limited one (catalogue look-up, reserve, settle). Prints figures; asserts nothing.

    PYTHONPATH=. .venv/bin/python bench/budget_api.py [--calls 400]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from dependency_injector import providers

from application.ports.generation import (
    AIGateway,
    ImageRequest,
    ImageResult,
    ModelInfo,
    Served,
    TextDelta,
    TextRequest,
    TextResult,
)
from domain.generations import Usage
from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.settings import load_settings

MODEL = "openai/gpt-4o-mini"
PRICES = {"prompt": "0.00000015", "completion": "0.0000006"}
ADMIN = {"email": "root@example.com", "password": "an admin passphrase for the bench"}
USER = {"email": "ada@example.com", "password": "correct horse battery staple"}


class InstantGateway(AIGateway):
    """Answers at once: what is measured is our side of the request."""

    async def complete_text(self, request: TextRequest) -> TextResult:
        usage = Usage(5, 7, 12, 0.0000123)
        return TextResult("hi", "stop", Served(request.model, "Bench", "gen-1", usage))

    def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        raise NotImplementedError

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        raise NotImplementedError

    async def list_models(self, output: str) -> list[ModelInfo]:
        return [ModelInfo(MODEL, "mini", ("text",), ("text",), 128000, PRICES)]


async def timed(http: httpx.AsyncClient, headers: dict[str, str], calls: int) -> list[float]:
    body = {"prompt": "Say hi", "model": MODEL, "max_tokens": 50}
    for _ in range(30):  # warm up
        (await http.post("/generate/text", headers=headers, json=body)).raise_for_status()
    seconds = []
    for _ in range(calls):
        started = time.perf_counter()
        (await http.post("/generate/text", headers=headers, json=body)).raise_for_status()
        seconds.append(time.perf_counter() - started)
    return seconds


async def arm(label: str, calls: int, *, budget: float | None, wired: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            data_dir=Path(folder),
            secret_key="bench-signing-key-0123456789abcdef-0123456789",  # noqa: S106
            argon2_memory_kib=19456,
            argon2_time_cost=2,
            argon2_parallelism=1,
            admin_email=ADMIN["email"],
            admin_password=ADMIN["password"],
            generations_per_minute=100_000,  # not about the rate limits
            log_level="WARNING",
        )
        container = Container(settings=settings)
        container.gateway.override(providers.Object(InstantGateway()))
        if not wired:
            container.generate_text.add_kwargs(spending=None)
        app = create_app(settings, container)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                admin = (await http.post("/auth/login", json=ADMIN)).json()
                user_id = (await http.post("/auth/register", json=USER)).json()["id"]
                token = (await http.post("/auth/login", json=USER)).json()["access_token"]
                if budget is not None:
                    await http.put(
                        f"/users/{user_id}/budget",
                        headers={"Authorization": f"Bearer {admin['access_token']}"},
                        json={"limit": budget, "period": "month"},
                    )
                seconds = await timed(http, {"Authorization": f"Bearer {token}"}, calls)
    ms = sorted(s * 1000 for s in seconds)
    p50, p90 = statistics.median(ms), ms[int(len(ms) * 0.9)]
    print(f"{label:<44} n={len(ms):>4}  p50={p50:6.2f} ms  p90={p90:6.2f} ms")
    return p50


async def main(calls: int) -> None:
    base = await arm("spending unwired (recorder writes the cost)", calls, budget=None, wired=False)
    free = await arm("unlimited budget (cost written once)", calls, budget=None, wired=True)
    capped = await arm("limited budget (reserve + settle)", calls, budget=1000.0, wired=True)
    print(
        f"budget check adds, p50: unlimited {free - base:+.2f} ms, limited {capped - base:+.2f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400)
    asyncio.run(main(parser.parse_args().calls))
