"""The decode pool's pixel budget: waits in order, gives back on cancel, refuses the too big."""

from __future__ import annotations

import asyncio

import pytest

from adapters.media.budget import PixelBudget
from adapters.media.upload import PillowImageSanitizer
from application.errors import InvalidImageError
from tests.image_samples import encoded


async def test_a_decode_waits_until_its_pixels_fit_first_come_first_served() -> None:
    budget = PixelBudget(45)
    await budget.acquire(30)
    second = asyncio.ensure_future(budget.acquire(20))
    third = asyncio.ensure_future(budget.acquire(10))  # would fit, but waits its turn
    await asyncio.sleep(0)
    assert not second.done() and not third.done() and budget.used == 30
    budget.release(30)
    await asyncio.gather(second, third)
    assert budget.used == 30


async def test_a_cancelled_waiter_gives_its_turn_to_the_next() -> None:
    budget = PixelBudget(10)
    await budget.acquire(10)
    gone, next_one = (
        asyncio.ensure_future(budget.acquire(8)),
        asyncio.ensure_future(budget.acquire(5)),
    )
    await asyncio.sleep(0)
    gone.cancel()
    budget.release(10)
    await next_one
    assert gone.cancelled() and budget.used == 5


async def test_an_image_larger_than_the_budget_is_invalid_and_the_budget_is_given_back() -> None:
    sanitizer = PillowImageSanitizer(max_pixels=40_000_000, budget_pixels=64 * 64)
    try:
        with pytest.raises(InvalidImageError):
            await sanitizer.sanitize(encoded("PNG", (65, 64)))
        clean = await sanitizer.sanitize(encoded("PNG", (64, 64)))
        assert (clean.width, clean.height) == (64, 64)
    finally:
        sanitizer.close()
