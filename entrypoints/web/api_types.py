"""The JSON shapes of the API's generation and history routes (api-contract.md, Generation)."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Usage(TypedDict):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: float


class Model(TypedDict):
    id: str
    name: str
    input_modalities: list[str]
    output_modalities: list[str]
    context_length: NotRequired[int | None]
    pricing: NotRequired[dict[str, str] | None]


class TextRequest(TypedDict):
    prompt: str
    model: str
    system: NotRequired[str]
    max_tokens: NotRequired[int]
    temperature: NotRequired[float]


class ImageRequest(TypedDict):
    prompt: str
    model: str
    aspect_ratio: NotRequired[str]


class TextResult(TypedDict):
    id: str
    model: str
    provider: NotRequired[str | None]
    text: str
    finish_reason: str | None
    usage: Usage
    created_at: str


class MediaFile(TypedDict):
    url: str
    content_type: str
    width: int | None
    height: int | None


class ImageResult(TypedDict):
    id: str
    model: str
    images: list[MediaFile]
    text: str | None
    usage: Usage
    created_at: str


class Generation(TypedDict):
    id: str
    kind: str
    model: str
    served_model: str | None
    provider: str | None
    prompt: str
    status: str
    text: str | None
    error_code: str | None
    media: list[MediaFile]
    usage: Usage
    duration_ms: int | None
    created_at: str
    finished_at: str | None


class GenerationPage(TypedDict):
    data: list[Generation]
    next_cursor: str | None
