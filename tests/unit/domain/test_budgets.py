"""Budgets in the domain: exact money, calendar periods in UTC, the reservation rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.budgets import (
    Budget,
    BudgetPeriod,
    BudgetStatus,
    SpendTotals,
    check_reservation,
    period_start,
    reservable,
    resets_at,
    usd,
)
from domain.errors import BudgetExceededError, InvalidBudgetError, PriceUnknownError

NAIVE_MIN = datetime(1971, 1, 1, tzinfo=UTC).replace(tzinfo=None)
NAIVE_MAX = datetime(9998, 12, 1, tzinfo=UTC).replace(tzinfo=None)
WED = datetime(2026, 12, 30, 15, 4, 5, 6, tzinfo=UTC)  # a Wednesday in the last week of 2026


def d(text: str) -> Decimal:
    return Decimal(text)


def test_usd_rounds_up_to_the_nano_dollar_and_reads_floats_by_their_shortest_repr() -> None:
    assert usd("0.0000000001") == d("0.000000001")
    assert usd(0.1) == d("0.100000000")
    assert usd(0.00014) == d("0.000140000")
    assert usd(3) == d("3.000000000")


@pytest.mark.parametrize("bad", ["-1", "NaN", "Infinity", "twelve", -0.5, float("inf")])
def test_usd_refuses_negative_non_finite_and_non_numbers(bad: object) -> None:
    with pytest.raises(InvalidBudgetError):
        usd(bad)  # type: ignore[arg-type]


def test_sums_of_tiny_costs_are_exact() -> None:
    assert sum([usd("0.000000001")] * 1_000_000, Decimal(0)) == d("0.001")


@pytest.mark.parametrize(
    ("period", "start", "reset"),
    [
        (BudgetPeriod.DAY, datetime(2026, 12, 30, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)),
        (BudgetPeriod.WEEK, datetime(2026, 12, 28, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC)),
        (BudgetPeriod.MONTH, datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        (BudgetPeriod.NONE, datetime(1970, 1, 1, tzinfo=UTC), None),
    ],
)
def test_periods_are_calendar_intervals_in_utc(
    period: BudgetPeriod, start: datetime, reset: datetime | None
) -> None:
    assert period_start(period, WED) == start
    assert resets_at(period, WED) == reset


def test_a_week_starts_on_monday_and_a_time_zone_is_read_as_utc() -> None:
    monday = datetime(2026, 12, 28, tzinfo=UTC)
    assert period_start(BudgetPeriod.WEEK, monday) == monday
    assert period_start(BudgetPeriod.WEEK, monday - timedelta(microseconds=1)) == monday - (
        timedelta(days=7)
    )
    tokyo = datetime(2027, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=9)))  # 23:00 UTC Dec 31
    assert period_start(BudgetPeriod.MONTH, tokyo) == datetime(2026, 12, 1, tzinfo=UTC)


@given(
    moment=st.datetimes(min_value=NAIVE_MIN, max_value=NAIVE_MAX),
    period=st.sampled_from([BudgetPeriod.DAY, BudgetPeriod.WEEK, BudgetPeriod.MONTH]),
)
def test_now_lies_in_its_period_and_the_next_period_starts_at_the_reset(
    moment: datetime, period: BudgetPeriod
) -> None:
    now = moment.replace(tzinfo=UTC)
    start, reset = period_start(period, now), resets_at(period, now)
    assert reset is not None
    assert start <= now < reset
    assert period_start(period, reset) == reset
    assert period_start(period, reset - timedelta(microseconds=1)) == start


def test_budget_of_reads_outside_values_and_refuses_wrong_ones() -> None:
    assert Budget.of("5", "week") == Budget(d("5"), BudgetPeriod.WEEK)
    assert Budget.of(None, "none") == Budget(None, BudgetPeriod.NONE)
    for limit, period in (("5", "year"), ("-1", "day"), ("2000000", "day"), ("x", "day")):
        with pytest.raises(InvalidBudgetError):
            Budget.of(limit, period)


def test_a_reservation_may_fill_the_budget_exactly_but_not_pass_it() -> None:
    budget = Budget(d("1"), BudgetPeriod.DAY)
    totals = SpendTotals(spent=d("0.4"), reserved=d("0.5"))
    check_reservation(budget, totals, d("0.1"), WED)
    with pytest.raises(BudgetExceededError) as raised:
        check_reservation(budget, totals, d("0.100000001"), WED)
    error = raised.value
    assert (error.code, error.limit, error.spent, error.reserved) == (
        "budget_exceeded",
        d("1"),
        d("0.4"),
        d("0.5"),
    )
    assert error.resets_at == datetime(2026, 12, 31, tzinfo=UTC)


def test_an_unlimited_budget_takes_any_reservation() -> None:
    check_reservation(Budget(None), SpendTotals(d("1e6"), d("1e6")), d("1e6"), WED)


def test_an_unknown_price_is_refused_only_within_a_limit() -> None:
    with pytest.raises(PriceUnknownError):
        reservable(None, Budget(d("10")))
    assert reservable(None, Budget(None)) == 0
    assert reservable(d("0.0000000001"), Budget(d("10"))) == d("0.000000001")


def test_a_zero_budget_allows_only_free_calls() -> None:
    budget = Budget(d("0"), BudgetPeriod.MONTH)
    check_reservation(budget, SpendTotals(), reservable(d("0"), budget), WED)
    with pytest.raises(BudgetExceededError):
        check_reservation(budget, SpendTotals(), d("0.000000001"), WED)


def test_status_shows_what_remains_never_below_zero() -> None:
    status = BudgetStatus.of(Budget(d("1"), BudgetPeriod.DAY), SpendTotals(d("0.7"), d("0.2")), WED)
    assert status.remaining == d("0.1")
    over = BudgetStatus.of(Budget(d("1"), BudgetPeriod.DAY), SpendTotals(d("1.5"), d("0")), WED)
    assert over.remaining == 0
    assert BudgetStatus.of(Budget(None), SpendTotals(d("3"), d("0")), WED).remaining is None
