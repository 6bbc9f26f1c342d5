"""The JSON shapes of the API's generation and history routes (api-contract.md, Generation)."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class UsageJson(TypedDict):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: float


class ModelJson(TypedDict):
    id: str
    name: str
    input_modalities: list[str]
    output_modalities: list[str]
    context_length: NotRequired[int | None]
    pricing: NotRequired[dict[str, str] | None]


class TextRequestJson(TypedDict):
    prompt: str
    model: str
    system: NotRequired[str]
    max_tokens: NotRequired[int]
    temperature: NotRequired[float]


class ImageRequestJson(TypedDict):
    prompt: str
    model: str
    aspect_ratio: NotRequired[str]


class TextResultJson(TypedDict):
    id: str
    model: str
    provider: NotRequired[str | None]
    text: str
    finish_reason: str | None
    usage: UsageJson
    created_at: str


class MediaFileJson(TypedDict):
    url: str
    content_type: str
    width: int | None
    height: int | None


class ImageResultJson(TypedDict):
    id: str
    model: str
    images: list[MediaFileJson]
    text: str | None
    usage: UsageJson
    created_at: str


class GenerationJson(TypedDict):
    id: str
    kind: str
    model: str
    served_model: str | None
    provider: str | None
    prompt: str
    status: str
    text: str | None
    error_code: str | None
    media: list[MediaFileJson]
    usage: UsageJson
    duration_ms: int | None
    created_at: str
    finished_at: str | None


class GenerationPageJson(TypedDict):
    data: list[GenerationJson]
    next_cursor: str | None
