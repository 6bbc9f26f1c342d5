"""`GET /models` entries as ModelInfo, tolerant of missing, null and unknown fields (§5)."""

from __future__ import annotations

from typing import Any

from adapters.openrouter.payloads import mapping, text_or_none
from application.ports.generation import ModelInfo


def model_infos(payload: dict[str, Any]) -> list[ModelInfo]:
    """One entry without a string `id` is skipped; the others still count."""
    entries = payload.get("data")
    infos = (model_info(entry) for entry in entries) if isinstance(entries, list) else ()
    return [info for info in infos if info is not None]


def model_info(entry: Any) -> ModelInfo | None:
    model_id = mapping(entry).get("id")
    if not isinstance(model_id, str) or not model_id:
        return None
    arch = mapping(entry.get("architecture"))
    context = entry.get("context_length")
    return ModelInfo(
        id=model_id,
        name=text_or_none(entry.get("name")) or model_id,
        input_modalities=_strings(arch.get("input_modalities")),
        output_modalities=_strings(arch.get("output_modalities")),
        context_length=context if type(context) is int else None,
        pricing=_prices(entry.get("pricing")),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _prices(value: Any) -> dict[str, str] | None:
    """USD per token as strings; non-string keys such as tiered `overrides[]` are left out."""
    if not isinstance(value, dict):
        return None
    return {key: price for key, price in value.items() if isinstance(price, str)}
