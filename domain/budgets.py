"""Budgets: USD a user may spend per calendar period (UTC), and the rule on reservations.

Money is `decimal.Decimal` rounded to nano-dollars (1e-9 USD, the database's DECIMAL(18,9)):
OpenRouter bills fractions of a cent, and floats would drift when thousands are summed.
Amounts are rounded UP (ceiling), so that what is reserved or charged is never under-counted.

A period is a calendar interval in UTC: `day` from midnight, `week` from Monday midnight
(ISO week), `month` from the first. `none` has no period: the spend never resets, so a
limit with period `none` caps everything the account ever spends. Unlimited is a `limit` of
None, whatever the period (the period still says over what the spend is shown).

Spend counts in the period in which it was RESERVED: a call reserved at 23:59 and settled
at 00:01 belongs to the day before, so a rollover never frees money still in flight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import BudgetExceededError, InvalidBudgetError, PriceUnknownError

Money = Decimal
QUANTUM = Decimal("0.000000001")  # 1e-9 USD
ZERO = Decimal(0)
MAX_LIMIT = Decimal(1_000_000)  # a sanity bound on limits; DECIMAL(18,9) holds up to 1e9
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the start of period `none`


def usd(value: Decimal | int | str | float) -> Money:
    """An amount in USD rounded up to 1e-9. Floats go through `str` (their shortest repr),
    so `0.1` is 0.1, not 0.1000000000000000055…; non-finite or negative amounts are refused."""
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise InvalidBudgetError(f"{value!r} is not an amount of USD.") from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidBudgetError(f"{value!r} is not an amount of USD.")
    return amount.quantize(QUANTUM, rounding=ROUND_CEILING)


class BudgetPeriod(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    NONE = "none"


def period_start(period: BudgetPeriod, now: datetime) -> datetime:
    """The first instant (UTC) of the period `now` falls in; the epoch for `none`."""
    now = now.astimezone(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period is BudgetPeriod.DAY:
        return midnight
    if period is BudgetPeriod.WEEK:
        return midnight - timedelta(days=midnight.weekday())
    if period is BudgetPeriod.MONTH:
        return midnight.replace(day=1)
    return EPOCH


def resets_at(period: BudgetPeriod, now: datetime) -> datetime | None:
    """The first instant of the next period; None for `none` (the spend never resets)."""
    start = period_start(period, now)
    if period is BudgetPeriod.DAY:
        return start + timedelta(days=1)
    if period is BudgetPeriod.WEEK:
        return start + timedelta(weeks=1)
    if period is BudgetPeriod.MONTH:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return None


@dataclass(frozen=True, slots=True)
class Budget:
    """`limit` None is unlimited."""

    limit: Money | None
    period: BudgetPeriod = BudgetPeriod.MONTH

    def __post_init__(self) -> None:
        if self.limit is not None and (self.limit < 0 or self.limit > MAX_LIMIT):
            raise InvalidBudgetError(f"A budget is between 0 and {MAX_LIMIT} USD.")

    @classmethod
    def of(cls, limit: Decimal | int | str | float | None, period: str) -> Budget:
        """From outside values (settings, a request body); InvalidBudgetError if wrong."""
        try:
            kind = BudgetPeriod(period)
        except ValueError as exc:
            listed = ", ".join(p.value for p in BudgetPeriod)
            raise InvalidBudgetError(f"The period is one of: {listed}.") from exc
        return cls(None if limit is None else usd(limit), kind)

    @property
    def limited(self) -> bool:
        return self.limit is not None


@dataclass(frozen=True, slots=True)
class SpendTotals:
    """What the current period holds: settled costs, and reservations still open."""

    spent: Money = ZERO
    reserved: Money = ZERO


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    limit: Money | None
    period: BudgetPeriod
    spent: Money
    reserved: Money
    remaining: Money | None  # None when unlimited; never negative
    resets_at: datetime | None

    @classmethod
    def of(cls, budget: Budget, totals: SpendTotals, now: datetime) -> BudgetStatus:
        remaining = None
        if budget.limit is not None:
            remaining = max(ZERO, budget.limit - totals.spent - totals.reserved)
        return cls(
            budget.limit,
            budget.period,
            totals.spent,
            totals.reserved,
            remaining,
            resets_at(budget.period, now),
        )


def reservable(estimate: Money | None, budget: Budget) -> Money:
    """The amount to reserve for a call whose most it can cost is `estimate` (None: the
    model has no known price). A limited budget cannot spend blindly (PriceUnknownError);
    an unlimited one reserves nothing and is settled with what the call really cost."""
    if estimate is None:
        if budget.limited:
            raise PriceUnknownError()
        return ZERO
    return usd(estimate)


def check_reservation(budget: Budget, totals: SpendTotals, amount: Money, now: datetime) -> None:
    """The rule: spent + reserved + amount may not exceed the limit of the current period."""
    if budget.limit is None:
        return
    if totals.spent + totals.reserved + amount > budget.limit:
        raise BudgetExceededError(
            limit=budget.limit,
            spent=totals.spent,
            reserved=totals.reserved,
            resets_at=resets_at(budget.period, now),
        )
