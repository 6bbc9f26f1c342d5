"""The budget and limit settings: a bad default budget stops start-up with a clear message."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from application.errors import RateLimitedError
from entrypoints.resources import budget_defaults, generation_limiter
from entrypoints.settings import ConfigurationError, load_settings
from tests.fakes import FakeClock

KEY = "unit-test-signing-key-that-is-long-enough-0123"


def test_an_empty_default_budget_is_unlimited_and_a_number_limits() -> None:
    assert budget_defaults(load_settings(secret_key=KEY)).budget.limit is None
    limited = load_settings(
        secret_key=KEY, default_budget_usd=" 2.5 ", default_budget_period="week"
    )
    budget = budget_defaults(limited).budget
    assert budget.limit == Decimal("2.5") and budget.period.value == "week"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("default_budget_usd", "-1"),
        ("default_budget_usd", "lots"),
        ("default_budget_period", "year"),
    ],
)
def test_a_bad_default_budget_stops_start_up(field: str, value: str) -> None:
    with pytest.raises(ConfigurationError):
        load_settings(secret_key=KEY, **{field: value})


async def test_the_limits_come_from_the_settings() -> None:
    settings = load_settings(secret_key=KEY, max_concurrent_generations=1)
    limiter = generation_limiter(settings, FakeClock(datetime(2027, 1, 1, tzinfo=UTC)))
    await limiter.acquire("u1")
    with pytest.raises(RateLimitedError):
        await limiter.acquire("u1")
