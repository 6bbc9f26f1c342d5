"""`GET /models` entries as ModelInfo, tolerant of missing, null and unknown fields (§5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.openrouter.payloads import mapping, text_or_none
from application.ports.generation import ModelInfo


def model_infos(payload: dict[str, Any]) -> list[ModelInfo]:
    return each_model(payload, model_info)


def each_model(
    payload: dict[str, Any], parse: Callable[[dict[str, Any], str], ModelInfo]
) -> list[ModelInfo]:
    """The `data` entries, each parsed with its id. One entry without a string `id` is
    skipped; the others still count."""
    entries = payload.get("data")
    ids = (
        ((entry, mapping(entry).get("id")) for entry in entries)
        if isinstance(entries, list)
        else ()
    )
    return [
        parse(entry, model_id) for entry, model_id in ids if isinstance(model_id, str) and model_id
    ]


def model_info(entry: dict[str, Any], model_id: str) -> ModelInfo:
    arch = mapping(entry.get("architecture"))
    context = entry.get("context_length")
    most = mapping(entry.get("top_provider")).get("max_completion_tokens")
    created = entry.get("created")
    return ModelInfo(
        id=model_id,
        name=text_or_none(entry.get("name")) or model_id,
        input_modalities=_strings(arch.get("input_modalities")),
        output_modalities=_strings(arch.get("output_modalities")),
        context_length=context if type(context) is int else None,
        pricing=_prices(entry.get("pricing")),
        max_completion_tokens=most if type(most) is int and most > 0 else None,
        created=created if type(created) is int and created >= 0 else None,
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _prices(value: Any) -> dict[str, str] | None:
    """USD per token as strings; non-string keys such as tiered `overrides[]` are left out."""
    if not isinstance(value, dict):
        return None
    return {key: price for key, price in value.items() if isinstance(price, str)}
