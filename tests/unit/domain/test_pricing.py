"""The most a call can cost, from catalogue prices: always at least what is then billed."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.pricing import (
    MESSAGE_OVERHEAD,
    image_cost_bound,
    price,
    prompt_tokens_bound,
    text_cost_bound,
    video_cost_bound,
)
from simulator.catalogue import MODELS, ModelSpec, chat_model_entry, cost_of
from simulator.video_models import VIDEO_MODELS, VideoModelSpec

NANO = Decimal("1e-9")
GPT = {"prompt": "0.0000025", "completion": "0.00001", "request": "0", "image": "0.001"}
VEO = {"per-video-second": "0.50", "per-video-second-1080p": "0.75"}
SEEDANCE = {"per-video-second-480p": "0.034", "per-video-second-720p": "0.068"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.00003", Decimal("0.00003")),
        ("0", Decimal(0)),
        ("-1", None),
        ("", None),
        ("abc", None),
        ("NaN", None),
        (None, None),
    ],
)
def test_a_catalogue_price_is_known_only_when_it_is_a_number_of_zero_or_more(
    raw: str | None, expected: Decimal | None
) -> None:
    assert price({} if raw is None else {"prompt": raw}, "prompt") == expected


def test_prompt_tokens_are_bounded_by_utf8_bytes_plus_a_template_allowance() -> None:
    assert prompt_tokens_bound(["héllo", "日本"]) == 6 + 6 + 2 * MESSAGE_OVERHEAD
    assert prompt_tokens_bound(["x" * 10_000], context_length=4096) == 4096


def test_a_text_bound_is_prompt_bytes_plus_max_tokens_at_catalogue_prices() -> None:
    bound = text_cost_bound(GPT, texts=["hi"], max_tokens=100)
    expected = Decimal("0.0000025") * (2 + MESSAGE_OVERHEAD) + Decimal("0.00001") * 100
    assert bound == expected


def test_without_max_tokens_the_model_maximum_then_the_context_bounds_the_completion() -> None:
    by_max = text_cost_bound(
        GPT, texts=[], max_tokens=None, max_completion_tokens=10, context_length=1000
    )
    by_context = text_cost_bound(GPT, texts=[], max_tokens=None, context_length=1000)
    assert by_max == Decimal("0.0001")
    assert by_context == Decimal("0.01")
    assert text_cost_bound(GPT, texts=[], max_tokens=None) is None


def test_free_models_cost_nothing_and_unknown_prices_give_no_bound() -> None:
    assert text_cost_bound({"prompt": "0", "completion": "0"}, texts=["x"], max_tokens=9) == 0
    for prices in (
        {"prompt": "-1", "completion": "-1"},
        {"prompt": "0"},
        None,
        {**GPT, "request": "-1"},
        {**GPT, "internal_reasoning": "x"},
    ):
        assert text_cost_bound(prices, texts=["x"], max_tokens=9) is None


def test_reasoning_and_input_images_are_priced_at_their_own_rates() -> None:
    dear = {**GPT, "internal_reasoning": "0.00002"}
    assert text_cost_bound(dear, texts=[], max_tokens=10) == Decimal("0.0002")
    with_images = text_cost_bound(GPT, texts=[], max_tokens=1, input_images=2)
    assert with_images == Decimal("0.00001") + Decimal("0.002")


@given(
    model=st.sampled_from([m for m in MODELS if not m.makes_images]),
    text=st.text(max_size=300),
    max_tokens=st.integers(1, 4096),
    used=st.floats(0, 1),
)
def test_the_text_bound_covers_what_the_simulator_bills(
    model: ModelSpec, text: str, max_tokens: int, used: float
) -> None:
    prices = chat_model_entry(model)["pricing"]
    bound = text_cost_bound(
        prices, texts=[text], max_tokens=max_tokens, context_length=model.context
    )
    assert bound is not None
    prompt_tokens = min(len(text) + MESSAGE_OVERHEAD, model.context)  # a token per character
    billed = sum(cost_of(model, prompt_tokens, int(max_tokens * used)))
    # the simulator bills in floats (a sum can land 1e-19 above the exact price): compare to
    # the nano-dollar, the precision money is kept in
    assert Decimal(str(billed)).quantize(NANO, rounding=ROUND_HALF_EVEN) <= bound


def test_an_image_bound_uses_a_per_image_ceiling_or_else_the_whole_completion() -> None:
    prices = {"prompt": "0.0000003", "completion": "0.0000025", "image_output": "0.00003"}
    prompt = Decimal("0.0000003") * (4 + MESSAGE_OVERHEAD)
    ceiling = image_cost_bound(prices, texts=["a ca"], images=2, per_image=Decimal("0.04"))
    assert ceiling == prompt + Decimal("0.08")
    whole = image_cost_bound(prices, texts=["a ca"], max_output_tokens=8192)
    assert whole == prompt + Decimal("0.00003") * 8192
    assert image_cost_bound(prices, texts=["a ca"]) is None
    assert image_cost_bound({"completion": "0"}, texts=["x"], per_image=Decimal(1)) is None


def test_a_video_bound_is_the_sku_of_the_resolution_times_the_duration() -> None:
    assert video_cost_bound(VEO, duration=8, resolution="1080p") == Decimal("6")
    assert video_cost_bound(VEO, duration=8, resolution="720p") == Decimal("6")  # not named
    assert video_cost_bound(SEEDANCE, duration=5, resolution="480p") == Decimal("0.17")
    assert video_cost_bound(SEEDANCE, duration=5, resolution="1080p") == Decimal("0.34")


def test_a_video_bound_without_resolution_or_duration_takes_the_dearest_and_longest() -> None:
    assert video_cost_bound(VEO, duration=None, resolution=None, durations=(4, 8, 6)) == 6
    assert video_cost_bound(VEO, duration=None, resolution="720p") is None
    assert video_cost_bound({"per-video-second": "-1"}, duration=4, resolution=None) is None
    assert video_cost_bound({"per-video": "1"}, duration=4, resolution=None) is None
    assert video_cost_bound(None, duration=4, resolution=None) is None


@pytest.mark.parametrize("spec", VIDEO_MODELS, ids=lambda spec: spec.id)
def test_every_simulated_video_model_has_a_bound_at_least_its_price(spec: VideoModelSpec) -> None:
    for resolution in (None, *spec.resolutions):
        bound = video_cost_bound(
            spec.pricing, duration=None, resolution=resolution, durations=spec.durations
        )
        assert bound is not None
        assert bound >= Decimal(str(spec.price_per_second)) * max(spec.durations)
