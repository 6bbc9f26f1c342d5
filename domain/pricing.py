"""The most a call can cost, from the model's prices in OpenRouter's catalogue.

Catalogue prices are strings of USD per token (`image` per input image; video `pricing_skus`
per second). "0" is free. A missing, unparsable or negative price (OpenRouter lists "-1" for
models whose price varies, such as `openrouter/auto`) is unknown: the estimate is then None,
and a user with a limited budget may not use the model (domain.budgets.reservable).

Every bound here is an UPPER bound, so that a reservation always covers what is then billed:

* Prompt tokens: at most one token per UTF-8 byte of the text. Byte-level BPE tokenizers
  (GPT, Llama, Claude, Gemini's SentencePiece with byte fallback) never make a token of
  less than one byte, so bytes bound tokens; the chat template adds a few special tokens
  per message (role markers), bounded by MESSAGE_OVERHEAD. The bound never exceeds the
  model's context length: a longer prompt is refused upstream and not billed.
* Completion tokens: `max_tokens` when the request sets it (OpenRouter stops there,
  reasoning included), else the model's maximum completion, else its context length.
  They are priced at the higher of `completion` and `internal_reasoning`.
* Images: a configured or observed per-image ceiling when there is one, else the
  completion tokens priced at the higher of `completion` and `image_output`.
* Video: the per-second SKU of the requested resolution times the duration; when no SKU
  names that resolution (or none is asked for), the dearest per-second SKU: a plain
  `per-video-second` is probably the price of the lowest resolution, but nothing says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from domain.budgets import Money, usd

MESSAGE_OVERHEAD = 16  # tokens a chat template may add around one message
Prices = Mapping[str, str] | None


def price(prices: Prices, key: str) -> Decimal | None:
    """A catalogue price, or None when it is missing or unknown."""
    raw = (prices or {}).get(key)
    if raw is None:
        return None
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() and value >= 0 else None


def _optional(prices: Prices, key: str) -> Decimal | None:
    """A price that is zero when absent, but unknown when present and unreadable."""
    if key not in (prices or {}):
        return Decimal(0)
    return price(prices, key)


def prompt_tokens_bound(texts: Iterable[str], context_length: int | None = None) -> int:
    texts = list(texts)
    bound = sum(len(text.encode("utf-8")) for text in texts) + MESSAGE_OVERHEAD * len(texts)
    return min(bound, context_length) if context_length else bound


def _prompt_cost(
    prices: Prices, texts: Iterable[str], context_length: int | None, input_images: int
) -> Decimal | None:
    per_token, per_request = price(prices, "prompt"), _optional(prices, "request")
    per_image = _optional(prices, "image") if input_images else Decimal(0)
    if per_token is None or per_request is None or per_image is None:
        return None
    return (
        per_token * prompt_tokens_bound(texts, context_length)
        + per_request
        + (per_image * input_images)
    )


def _dearest(prices: Prices, *keys: str) -> Decimal | None:
    """The highest of the completion-side prices; None if `completion` or any listed
    one that is present is unknown."""
    values = [price(prices, "completion"), *(_optional(prices, key) for key in keys)]
    known = [value for value in values if value is not None]
    return max(known) if len(known) == len(values) else None


def text_cost_bound(
    prices: Prices,
    *,
    texts: Iterable[str],
    max_tokens: int | None,
    context_length: int | None = None,
    max_completion_tokens: int | None = None,
    input_images: int = 0,
) -> Money | None:
    """The most a chat completion of `texts` (system and user messages) can cost."""
    completion_tokens = max_tokens or max_completion_tokens or context_length
    prompt = _prompt_cost(prices, texts, context_length, input_images)
    per_token = _dearest(prices, "internal_reasoning")
    if prompt is None or per_token is None or not completion_tokens:
        return None
    return usd(prompt + per_token * completion_tokens)


def image_cost_bound(
    prices: Prices,
    *,
    texts: Iterable[str],
    images: int = 1,
    per_image: Money | None = None,
    max_output_tokens: int | None = None,
    context_length: int | None = None,
    input_images: int = 0,
) -> Money | None:
    """The most an image generation can cost: the prompt, then `images` pictures at the
    `per_image` ceiling, or else the model's whole completion allowance."""
    prompt = _prompt_cost(prices, texts, context_length, input_images)
    if prompt is None:
        return None
    if per_image is not None:
        return usd(prompt + per_image * images)
    per_token = _dearest(prices, "image_output", "internal_reasoning")
    tokens = max_output_tokens or context_length
    if per_token is None or not tokens:
        return None
    return usd(prompt + per_token * tokens)


def video_cost_bound(
    skus: Prices,
    *,
    duration: int | None,
    resolution: str | None,
    durations: Iterable[int] = (),
) -> Money | None:
    """The most a video job can cost: a per-second SKU times the duration (the longest the
    model offers when the request leaves it to the model)."""
    seconds = duration or max(durations, default=0)
    per_second = {key.lower(): price(skus, key) for key in (skus or {}) if "second" in key}
    if not seconds or not per_second or None in per_second.values():
        return None
    chosen = _chosen_skus(per_second, resolution)
    return usd(max(value for value in chosen if value is not None) * seconds)


def _chosen_skus(
    per_second: dict[str, Decimal | None], resolution: str | None
) -> list[Decimal | None]:
    """The SKUs naming the resolution (a key part such as `1080p`), else all of them."""
    wanted = (resolution or "").lower()
    named = [value for key, value in per_second.items() if wanted in key.split("-")]
    return named or list(per_second.values())
