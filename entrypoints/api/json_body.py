"""JSON bodies that a route parses itself (FastAPI parses the others).

`json.loads` recurses once per nesting level and raises RecursionError (not ValueError)
past Python's recursion limit, which ended as a 500; pydantic's parser stops at a fixed
depth with a ValueError. Every body parsed outside FastAPI goes through here."""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError
from pydantic_core import from_json


def parse_json(raw: bytes) -> object:
    """The decoded body, or a 422 `validation_error` for anything that is not JSON, is not
    UTF-8, or is nested too deep."""
    try:
        return from_json(raw)
    except (ValueError, RecursionError) as exc:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body",), "msg": "Body is not valid JSON"}]
        ) from exc
