"""A user's spending budget (the API's BudgetJson) in words: what is spent, what is left,
when it resets, and why a request was refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from flask import Flask


class BudgetJson(TypedDict):
    """`GET /me/budget`; also each user of `GET /users` and the estimate's answer."""

    limit: float | None  # None: unlimited
    period: str  # day, week, month, or none (a lifetime cap)
    spent: float
    reserved: float
    remaining: float | None
    resets_at: str | None


class EstimateJson(TypedDict):
    """`POST /generate/estimate`: the most a request may cost; nothing is reserved or sent."""

    max_cost: float | None  # None: the model has no known price
    budget: BudgetJson
    allowed: bool
    reason: str | None  # budget_exceeded, price_unknown


PRICE_UNKNOWN = (
    "The price of this model is not known, so it cannot be used within your budget. "
    "Pick another model, or ask an admin to lift your spending limit."
)
PERIODS = (("month", "Per month"), ("week", "Per week"), ("day", "Per day"), ("none", "In all"))
ADJECTIVES = {"day": "daily", "week": "weekly", "month": "monthly", "none": ""}
PER = {"day": "per day", "week": "per week", "month": "per month", "none": "in all"}
THIS_PERIOD = {"day": "today", "week": "this week", "month": "this month", "none": "in all"}


def usd(value: object) -> str:
    """Dollars with cents; sub-cent amounts keep their first significant digits."""
    amount = _number(value)
    if amount == 0 or amount >= 0.01:
        return f"${amount:,.2f}"
    return f"${amount:.6f}".rstrip("0")


def reset_day(stamp: object) -> str:
    """`1 January`, with the year when it is not this year's; "" when unknown."""
    if not isinstance(stamp, str) or not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    day = moment.astimezone(UTC) if moment.tzinfo else moment
    text = f"{day.day} {day:%B}"
    return text if day.year == datetime.now(UTC).year else f"{text} {day.year}"


def limit_words(budget: Mapping[str, Any] | None) -> str:
    """`$5.00 per month`, `$2.00 in all`, or `Unlimited`."""
    if not budget or budget.get("limit") is None:
        return "Unlimited"
    return f"{usd(budget.get('limit'))} {PER.get(str(budget.get('period')), '')}".rstrip()


def summary(budget: Mapping[str, Any] | None) -> str:
    """`$1.23 of $5.00 spent this month, resets 1 January`, or `Unlimited · $1.23 spent …`."""
    if not budget:
        return ""
    period = str(budget.get("period") or "none")
    spent = usd(budget.get("spent"))
    when = THIS_PERIOD.get(period, "")
    if budget.get("limit") is None:
        return f"Unlimited · {spent} spent {when}".rstrip()
    text = f"{spent} of {usd(budget.get('limit'))} spent {when}".rstrip()
    resets = reset_day(budget.get("resets_at"))
    return f"{text}, resets {resets}" if resets else text


def used_percent(budget: Mapping[str, Any] | None) -> float:
    """Spent plus reserved, as a share of the limit (0 to 100; 0 when unlimited)."""
    if not budget or not _number(budget.get("limit")):
        return 0.0
    used = _number(budget.get("spent")) + _number(budget.get("reserved"))
    return round(min(100.0, max(0.0, 100 * used / _number(budget.get("limit")))), 1)


def left(budget: Mapping[str, Any]) -> float:
    """What is left this period: the API's `remaining`, else limit - spent - reserved."""
    if budget.get("remaining") is not None:
        return max(0.0, _number(budget.get("remaining")))
    used = _number(budget.get("spent")) + _number(budget.get("reserved"))
    return max(0.0, _number(budget.get("limit")) - used)


def over_budget(details: Mapping[str, Any], max_cost: float | None = None) -> str:
    """A 402 `budget_exceeded` (its limit, spent, reserved, resets_at), in words."""
    limit = details.get("limit")
    if limit is None:
        return "This request is over your spending budget."
    adjective = ADJECTIVES.get(str(details.get("period") or ""), "")
    budget = f"your {usd(limit)} {adjective} budget".replace("  ", " ")
    if "period" not in details:  # the 402 does not name the period: the reset says enough
        budget = f"your {usd(limit)} budget"
    remaining = usd(left(details))
    if max_cost is not None:
        text = f"This could cost up to {usd(max_cost)}, but only {remaining} of {budget} is left"
    else:
        text = f"This request could cost more than the {remaining} left of {budget}"
    resets = reset_day(details.get("resets_at"))
    return f"{text}; it resets on {resets}." if resets else f"{text}."


def estimate_text(max_cost: object, *, priced: bool = True) -> str:
    if max_cost is None or not priced:
        return "The price of this model is not known."
    return f"Estimated cost: at most {usd(max_cost)}."


@dataclass(frozen=True, slots=True)
class Estimate:
    """The estimate of what a page is about to send, in words."""

    max_cost: float | None
    budget: Mapping[str, Any]
    allowed: bool
    reason: str | None

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Estimate:
        max_cost = answer.get("max_cost")
        budget = answer.get("budget")
        return cls(
            max_cost=_number(max_cost) if max_cost is not None else None,
            budget=budget if isinstance(budget, Mapping) else {},
            allowed=bool(answer.get("allowed", True)),
            reason=str(answer["reason"]) if answer.get("reason") else None,
        )

    @property
    def text(self) -> str:
        """`Estimated cost: at most $0.05. $4.95 of your $5.00 monthly budget is left.`"""
        if self.reason == "budget_exceeded":
            return over_budget(self.budget, self.max_cost)
        if self.reason == "price_unknown":
            return PRICE_UNKNOWN
        cost = estimate_text(self.max_cost)
        if self.budget.get("limit") is None:
            return cost
        adjective = ADJECTIVES.get(str(self.budget.get("period") or ""), "")
        limit = f"{usd(self.budget.get('limit'))} {adjective}".rstrip()
        return f"{cost} {usd(left(self.budget))} of your {limit} budget is left."


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def install(app: Flask) -> None:
    app.add_template_filter(usd, "usd")
    app.add_template_filter(summary, "budget_summary")
    app.add_template_filter(limit_words, "budget_limit")
    app.add_template_filter(used_percent, "budget_percent")
    app.add_template_filter(reset_day, "reset_day")
