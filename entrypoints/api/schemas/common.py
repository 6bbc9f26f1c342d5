"""Shared schemas: the strict base model and the problem document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictIn(BaseModel):
    """Request bodies reject unknown fields (security.md #9, #29)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class FieldErrorOut(BaseModel):
    loc: list[str]
    msg: str


class ProblemOut(BaseModel):
    """An RFC 9457 problem document (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldErrorOut] | None = None
    request_id: str | None = None
