"""Shared schemas: the strict base model, the problem document, date-time parameters."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
)


class CopiedOut(BaseModel):
    """An answer whose fields copy, by name, the attributes of what the use case returned
    (an enum as its string)."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, source: object) -> Self:
        return cls.model_validate(source)


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
    # 402 budget_exceeded: the budget (USD; `limit` null never happens there) and its reset
    limit: float | None = None
    spent: float | None = None
    reserved: float | None = None
    resets_at: datetime | None = None


# RFC 3339 (the ISO 8601 profile of the web): date, `T`, time, and a zone that is `Z` or an
# offset; fractions of a second up to microseconds. Anything else is refused, above all the
# numbers that pydantic's lax mode read as Unix timestamps and naive times (compared with
# aware ones they were a 500).
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
DATE_TIME_HINT = "an ISO 8601 date-time with a timezone, e.g. 2026-01-31T00:00:00Z"


def _date_time_text(value: object) -> object:
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        return value
    raise ValueError(f"Expected {DATE_TIME_HINT}")


def _in_range(value: datetime) -> datetime:
    try:
        moment = value.astimezone(UTC)  # 9999-12-31T23:59:59-01:00 is past datetime.max
    except OverflowError:
        moment = datetime.max.replace(tzinfo=UTC)
    if not EARLIEST <= moment < LATEST:  # room for the arithmetic on a period, too
        raise ValueError(f"Expected a date-time from {EARLIEST.year} to {LATEST.year - 1}")
    return value


DateTimeParam = Annotated[
    AwareDatetime,
    BeforeValidator(_date_time_text),
    AfterValidator(_in_range),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2026-01-31T00:00:00Z"}),
]
"""A date-time query parameter: RFC 3339 text with a timezone, nothing else."""
