"""Schemas of the generation, history and media routes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from application.ports.generation import ModelInfo
from domain.generations import MAX_PROMPT_CHARS, MODEL_ID, Generation
from entrypoints.api.schemas.common import CopiedOut, StrictIn

ModelId = Field(min_length=3, max_length=200, pattern=MODEL_ID.pattern)
Prompt = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
AspectRatio = Literal["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"]


class TextIn(StrictIn):
    prompt: str = Prompt
    model: str = ModelId
    system: str | None = Field(default=None, max_length=MAX_PROMPT_CHARS)
    max_tokens: int | None = Field(default=None, ge=1, le=32_768)
    temperature: float | None = Field(default=None, ge=0, le=2)


class ImageIn(StrictIn):
    prompt: str = Prompt
    model: str = ModelId
    aspect_ratio: AspectRatio | None = None


class UsageOut(CopiedOut):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: float


class TextOut(BaseModel):
    id: str
    model: str
    provider: str | None
    text: str
    finish_reason: str | None
    usage: UsageOut
    created_at: datetime

    @classmethod
    def of(cls, g: Generation) -> TextOut:
        return cls(
            id=g.id,
            model=g.served_model or g.model,
            provider=g.provider,
            text=g.text or "",
            finish_reason=g.finish_reason,
            usage=UsageOut.of(g.usage),
            created_at=g.created_at,
        )


class ImageFileOut(BaseModel):
    url: str
    content_type: str
    width: int | None
    height: int | None


class ImageOut(BaseModel):
    id: str
    model: str
    images: list[ImageFileOut]
    text: str | None
    usage: UsageOut
    created_at: datetime

    @classmethod
    def of(cls, g: Generation) -> ImageOut:
        images = [
            ImageFileOut(
                url=f"/media/{m.id}", content_type=m.content_type, width=m.width, height=m.height
            )
            for m in g.media
        ]
        return cls(
            id=g.id,
            model=g.served_model or g.model,
            images=images,
            text=g.text,
            usage=UsageOut.of(g.usage),
            created_at=g.created_at,
        )


class GenerationOut(BaseModel):
    id: str
    kind: Literal["text", "image", "video"]
    model: str
    served_model: str | None
    provider: str | None
    prompt: str
    status: str
    text: str | None
    error_code: str | None
    media: list[ImageFileOut]
    usage: UsageOut
    duration_ms: int | None
    created_at: datetime
    finished_at: datetime | None
    api_key: str | None = Field(
        None, description="The name of the personal API key that made it (null: a session)"
    )

    @classmethod
    def of(cls, g: Generation) -> GenerationOut:
        return cls(
            api_key=_api_key_of(g.options),
            id=g.id,
            kind=g.kind.value,
            model=g.model,
            served_model=g.served_model,
            provider=g.provider,
            prompt=g.prompt,
            status=g.status.value,
            text=g.text,
            error_code=g.error_code,
            usage=UsageOut.of(g.usage),
            duration_ms=g.duration_ms,
            media=ImageOut.of(g).images,
            created_at=g.created_at,
            finished_at=g.finished_at,
        )


class GenerationPageOut(BaseModel):
    data: list[GenerationOut]
    next_cursor: str | None


class ModelOut(BaseModel):
    id: str
    name: str
    input_modalities: list[str]
    output_modalities: list[str]
    context_length: int | None = None
    pricing: dict[str, str] | None = None
    # video models only (api-contract.md): what each option may be; [] = not offered
    durations: list[int] | None = None
    resolutions: list[str] | None = None
    aspect_ratios: list[str] | None = None
    frame_images: list[str] | None = None
    generate_audio: bool | None = None
    seed: bool | None = None

    @classmethod
    def of(cls, m: ModelInfo) -> ModelOut:
        out = cls(
            id=m.id,
            name=m.name,
            input_modalities=list(m.input_modalities),
            output_modalities=list(m.output_modalities),
            context_length=m.context_length,
            pricing=m.pricing,
        )
        if m.video is not None:
            v = m.video
            out.durations, out.resolutions = sorted(v.durations), list(v.resolutions)
            out.aspect_ratios, out.frame_images = list(v.aspect_ratios), list(v.frame_images)
            out.generate_audio, out.seed = v.generate_audio, v.seed
        return out


class ModelListOut(BaseModel):
    data: list[ModelOut]


def _api_key_of(options: str | None) -> str | None:
    """The key's name, kept in the generation's options by the /v1 routes."""
    try:
        name = json.loads(options or "{}").get("api_key")
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None
