"""Small presentation helpers, also registered as Jinja filters: costs, usage, times, models."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from entrypoints.web.render import render_markdown

PER_MILLION = 1_000_000


def cost(value: float | None) -> str:
    if not value:
        return "$0"
    if value >= 0.01:
        return f"${value:.4f}".rstrip("0").rstrip(".")
    return f"${value:.8f}".rstrip("0").rstrip(".")


def usage_text(usage: Mapping[str, Any] | None) -> str:
    """`12 prompt + 30 completion = 42 tokens · $0.00042`."""
    if not usage:
        return ""
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    total = usage.get("total_tokens") or prompt + completion
    return f"{prompt} prompt + {completion} completion = {total} tokens · {cost(usage.get('cost'))}"


def when(stamp: str | None) -> str:
    """An API timestamp as `2025-01-31 14:05 UTC`; what cannot be read is shown as is."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def snippet(text: str | None, length: int = 140) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def model_label(model: Mapping[str, Any]) -> str:
    """`OpenAI: GPT-4o · $2.5/$10 per M tokens`, or `· free`, from the listing's pricing."""
    name = str(model.get("name") or model.get("id"))
    pricing = model.get("pricing") or {}
    try:
        prompt, completion = float(pricing["prompt"]), float(pricing["completion"])
    except (KeyError, TypeError, ValueError):
        return name
    if prompt == completion == 0:
        return f"{name} · free"
    rate = f"${_short(prompt * PER_MILLION)}/${_short(completion * PER_MILLION)}"
    return f"{name} · {rate} per M tokens"


def _short(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


FILTERS: dict[str, Callable[..., Any]] = {
    "cost": cost,
    "usage_text": usage_text,
    "when": when,
    "snippet": snippet,
    "markdown": render_markdown,  # the only filter that returns Markup
}


def install(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
