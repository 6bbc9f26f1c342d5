"""Generations: what was asked of which model, what it cost, and how it ended."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidGenerationRequestError
from domain.media import MediaRef
from domain.ownership import visible_to

# api-contract.md, Generation limits
MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*/[a-zA-Z0-9._:-]+$")
MAX_PROMPT_CHARS = 32_000
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")


class GenerationKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"


class GenerationStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True  # False: OpenRouter sent no cost (a budget keeps its reservation)


@dataclass(frozen=True, slots=True)
class Generation:
    """One request to a model, kept whether it succeeded or failed."""

    id: str
    user_id: str
    kind: GenerationKind
    model: str
    prompt: str
    status: GenerationStatus
    created_at: datetime
    finished_at: datetime | None = None
    served_model: str | None = None
    provider: str | None = None
    text: str | None = None
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    error_code: str | None = None
    media: tuple[MediaRef, ...] = ()
    upstream_id: str | None = None
    options: str | None = None  # JSON of the request options (system prompt, ratio, …)

    def visible_to(self, user_id: str, *, is_admin: bool) -> bool:
        return visible_to(self.user_id, user_id, is_admin=is_admin)

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.created_at).total_seconds() * 1000)


def check_model_id(model: str) -> str:
    if not MODEL_ID.match(model) or len(model) > 200:
        raise InvalidGenerationRequestError("Unknown model id format (expected author/model).")
    return model


def check_prompt(prompt: str, limit: int = MAX_PROMPT_CHARS) -> str:
    if not prompt.strip():
        raise InvalidGenerationRequestError("Write a prompt.")
    if len(prompt) > limit:
        raise InvalidGenerationRequestError(f"The prompt is longer than {limit} characters.")
    return prompt
