"""Operations: liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from entrypoints.api.deps import DatabaseDep, SettingsDep

router = APIRouter(tags=["operations"])


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    openrouter: Literal["configured", "not_configured"]


@router.get("/healthz")
async def healthz() -> HealthOut:
    """The process is alive."""
    return HealthOut(status="ok")


@router.get("/readyz")
async def readyz(database: DatabaseDep, settings: SettingsDep) -> ReadyOut:
    """The database answers; says whether an OpenRouter key is configured (degraded if not)."""
    try:
        await database.read("SELECT 1")
        db_state: Literal["ok", "unavailable"] = "ok"
    except Exception:  # readiness reports, it never fails
        db_state = "unavailable"
    upstream: Literal["configured", "not_configured"] = (
        "configured" if settings.openrouter_configured else "not_configured"
    )
    healthy = db_state == "ok" and upstream == "configured"
    return ReadyOut(status="ok" if healthy else "degraded", database=db_state, openrouter=upstream)
