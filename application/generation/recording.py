"""How a generation is written down, whether it succeeded or failed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from application.ports.generation import GenerationRecorder, Served
from application.ports.system import UnitOfWork
from domain.errors import Error
from domain.generations import Generation, GenerationKind, GenerationStatus
from domain.media import MediaRef


def failed_until_served(
    *,
    generation_id: str,
    user_id: str,
    kind: GenerationKind,
    model: str,
    prompt: str,
    options: dict[str, object],
    now: datetime,
) -> Generation:
    """A new generation, FAILED until the model's answer makes it `succeeded`: whatever
    goes wrong in between, it is never recorded as anything but failed."""
    clean = {key: value for key, value in options.items() if value is not None}
    return Generation(
        id=generation_id,
        user_id=user_id,
        kind=kind,
        model=model,
        prompt=prompt,
        status=GenerationStatus.FAILED,
        created_at=now,
        options=json.dumps(clean) if clean else None,
    )


def succeeded(
    generation: Generation,
    served: Served,
    now: datetime,
    *,
    text: str | None = None,
    finish_reason: str | None = None,
    media: tuple[MediaRef, ...] = (),
) -> Generation:
    return replace(
        generation,
        status=GenerationStatus.SUCCEEDED,
        finished_at=now,
        served_model=served.model,
        provider=served.provider,
        upstream_id=served.upstream_id,
        usage=served.usage,
        text=text,
        finish_reason=finish_reason,
        media=media,
    )


def failed(
    generation: Generation, error: Error, now: datetime, text: str | None = None
) -> Generation:
    return replace(
        generation,
        status=GenerationStatus.FAILED,
        finished_at=now,
        error_code=error.code,
        text=text,
    )


class UnitOfWorkRecorder(GenerationRecorder):
    """One transaction per generation, through any unit of work (the fakes use it)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def record(self, generation: Generation) -> None:
        async with self.uow:
            await self.uow.generations.add(generation)
            await self.uow.commit()
