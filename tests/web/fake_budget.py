"""The budget routes of the API stand-in (see conftest.FakeApi), as budget_contract.md has them:
GET /me/budget, PUT /users/{id}/budget, POST /generate/estimate, and the budgets of
GET /users and GET /admin/stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.web.fake_generation import Answer

PERIODS = ("day", "week", "month", "none")
RESETS_AT = "2099-01-01T00:00:00Z"  # far off: the year is always named
MAX_LIMIT = 1e9
# The most a request to these models may cost; a model not listed has no known price.
PRICES = {
    "openai/gpt-4o-mini": 0.05,
    "minimax/minimax-m2:free": 0.0,
    "google/gemini-2.5-flash-image": 0.04,
    "google/veo-3.1-lite": 1.6,
    "bytedance/seedance-2.0-mini": 0.9,
}


def budget_json(
    limit: float | None = None,
    period: str = "month",
    spent: float = 0.0,
    reserved: float = 0.0,
    resets_at: str | None = RESETS_AT,
) -> dict[str, Any]:
    remaining = None if limit is None else max(0.0, limit - spent - reserved)
    resets = resets_at if period != "none" else None
    return {
        "limit": limit,
        "period": period,
        "spent": spent,
        "reserved": reserved,
        "remaining": remaining,
        "resets_at": resets,
    }


@dataclass
class FakeBudgets:
    """`budgets` by email; a user without one is unlimited. `estimates` records the bodies."""

    budgets: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, float] = field(default_factory=lambda: dict(PRICES))
    estimates: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    nearest: list[dict[str, Any]] = field(default_factory=list)

    def of(self, email: str) -> dict[str, Any]:
        return self.budgets.get(email) or budget_json()

    def set(self, email: str, **values: Any) -> None:
        self.budgets[email] = budget_json(**values)

    def estimate(self, email: str, body: dict[str, Any]) -> Answer:
        self.estimates.append(body)
        if body.get("kind") not in ("text", "image", "video") or not body.get("model"):
            return _problem(422, "validation_error", "kind and model are required.")
        budget = self.of(email)
        max_cost = self.prices.get(str(body["model"]))
        reason = None
        if budget["limit"] is not None:
            if max_cost is None:
                reason = "price_unknown"
            elif max_cost > budget["remaining"]:
                reason = "budget_exceeded"
        answer = {"max_cost": max_cost, "budget": budget, "allowed": reason is None}
        return 200, {**answer, "reason": reason}, {}

    def put(self, email: str, body: dict[str, Any]) -> Answer:
        self.changes.append(body)
        limit, period = body.get("limit"), body.get("period")
        errors = []
        if limit is not None and (
            not isinstance(limit, int | float) or not 0 <= limit <= MAX_LIMIT
        ):
            errors.append({"loc": ["body", "limit"], "msg": "Use 0 to 1000000000 dollars."})
        if period not in PERIODS:
            errors.append({"loc": ["body", "period"], "msg": "Choose day, week, month or none."})
        if errors:
            return 422, {**_problem(422, "validation_error")[1], "errors": errors}, {}
        old = self.of(email)
        self.set(email, limit=limit, period=period, spent=old["spent"], reserved=old["reserved"])
        return 200, self.of(email), {}

    def stats(self) -> dict[str, Any]:
        spent = sum(b["spent"] for b in self.budgets.values())
        reserved = sum(b["reserved"] for b in self.budgets.values())
        limited = sum(1 for b in self.budgets.values() if b["limit"] is not None)
        return {
            "spent": spent,
            "reserved": reserved,
            "limited_users": limited,
            "nearest": self.nearest,
        }


def over_budget(budget: dict[str, Any]) -> Answer:
    """The 402 every generation route answers when the reservation does not fit."""
    keys = ("limit", "spent", "reserved", "resets_at")
    detail = "This request could cost more than what is left of the budget."
    status, body, headers = _problem(402, "budget_exceeded", detail)
    return status, {**body, **{key: budget[key] for key in keys}}, headers


def _problem(status: int, code: str, detail: str = "") -> Answer:
    body = {"type": f"/problems/{code}", "title": code, "status": status, "detail": detail}
    return status, {**body, "code": code}, {}
