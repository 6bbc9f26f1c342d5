"""Operations: liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from adapters.metrics.prometheus import ApiMetrics
from adapters.openrouter.gateway import OpenRouterGateway
from adapters.sql.health import SqlHealth
from entrypoints.api.deps import Provided
from entrypoints.settings import Settings

router = APIRouter(tags=["operations"])


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    engine: Literal["duckdb", "postgresql"]
    openrouter: Literal["configured", "not_configured", "unreachable"]


@router.get("/healthz")
async def healthz() -> HealthOut:
    """The process is alive."""
    return HealthOut(status="ok")


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(database: Provided[SqlHealth], registry: Provided[ApiMetrics]) -> Response:
    """Prometheus metrics: requests and latency by route and status, upstream calls by
    outcome, generations by kind and status, video jobs by state. The generation counts
    are kept in memory as generations are written: a scrape reads no table."""
    counts = await database.generation_counts()
    return Response(registry.render(counts), media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz")
async def readyz(
    database: Provided[SqlHealth],
    settings: Provided[Settings],
    openrouter: Provided[OpenRouterGateway],
) -> ReadyOut:
    """The database answers (and which engine it is: duckdb or postgresql); says whether an
    OpenRouter key is configured and OpenRouter answers (degraded if not: sign-in and
    history still work)."""
    db_state: Literal["ok", "unavailable"] = "ok" if await database.ping() else "unavailable"
    upstream: Literal["configured", "not_configured", "unreachable"] = "not_configured"
    if settings.openrouter_configured:
        upstream = "configured" if await openrouter.reachable() else "unreachable"
    healthy = db_state == "ok" and upstream == "configured"
    return ReadyOut(
        status="ok" if healthy else "degraded",
        database=db_state,
        engine="postgresql" if database.engine == "postgresql" else "duckdb",
        openrouter=upstream,
    )
