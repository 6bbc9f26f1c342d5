"""Budgets over the API, with the OpenRouter simulator upstream: the routes of the budget
contract, 402 before anything is sent, 422 price_unknown, settlement with the real cost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import ada, admin, api, bob  # noqa: F401 (fixtures)
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401

MODEL = "openai/gpt-4o-mini"
BUDGET_KEYS = {"limit", "period", "spent", "reserved", "remaining", "resets_at"}


def set_budget(api: TestClient, admin: Account, user: Account, limit: Any, period: str) -> Any:
    return api.put(
        f"/users/{user.id}/budget",
        headers=admin.headers,
        json={"limit": limit, "period": period},
    )


def budget(api: TestClient, user: Account) -> dict[str, Any]:
    answer = api.get("/me/budget", headers=user.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def estimate(api: TestClient, user: Account, **body: Any) -> dict[str, Any]:
    answer = api.post("/generate/estimate", headers=user.headers, json=body)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_user_without_an_override_has_the_unlimited_default(
    api: TestClient, ada: Account
) -> None:
    found = budget(api, ada)
    assert set(found) == BUDGET_KEYS
    assert found["limit"] is None and found["remaining"] is None
    assert found["period"] == "month" and found["spent"] == 0 and found["reserved"] == 0


def test_an_admin_sets_a_budget_audited(api: TestClient, admin: Account, ada: Account) -> None:
    answer = set_budget(api, admin, ada, 2.5, "day")
    assert answer.status_code == 200, answer.text
    assert answer.json()["limit"] == 2.5 and answer.json()["remaining"] == 2.5
    assert budget(api, ada)["period"] == "day" and budget(api, ada)["resets_at"]
    events = api.get("/admin/audit", headers=admin.headers).json()["data"]
    change = next(e for e in events if e["action"] == "budget_change")
    assert change["target_id"] == ada.id and "2.5 USD/day" in change["detail"]
    lifetime = set_budget(api, admin, ada, 1, "none").json()
    assert lifetime["period"] == "none" and lifetime["resets_at"] is None


def test_bad_budgets_are_422_and_unknown_users_404(
    api: TestClient, admin: Account, ada: Account
) -> None:
    for limit, period in ((-1, "day"), (2e9, "day"), (1, "year"), ("x", "day")):
        assert set_budget(api, admin, ada, limit, period).status_code == 422
    missing = api.put(
        "/users/nobody/budget", headers=admin.headers, json={"limit": 1, "period": "day"}
    )
    assert missing.status_code == 404
    assert set_budget(api, ada, ada, 1, "day").status_code == 403


def test_over_budget_is_402_with_its_fields_and_nothing_goes_upstream(
    api: TestClient, simulator: SimulatorHandle, admin: Account, ada: Account
) -> None:
    set_budget(api, admin, ada, 0.00001, "day")
    answer = api.post(
        "/generate/text", headers=ada.headers, json={"prompt": "hello", "model": MODEL}
    )
    assert answer.status_code == 402, answer.text
    problem = answer.json()
    assert problem["code"] == "budget_exceeded"
    assert problem["limit"] == 0.00001 and problem["spent"] == 0 and problem["reserved"] == 0
    assert problem["resets_at"].startswith(budget(api, ada)["resets_at"][:10])
    stream = api.post(
        "/generate/text/stream", headers=ada.headers, json={"prompt": "hi", "model": MODEL}
    )
    assert stream.status_code == 402
    assert simulator.requests("/chat/completions") == []


def test_a_model_without_a_price_is_refused_to_a_limited_budget(
    api: TestClient, simulator: SimulatorHandle, admin: Account, ada: Account, bob: Account
) -> None:
    set_budget(api, admin, ada, 5, "month")
    body = {"prompt": "hello", "model": "nobody/unpriced-model"}
    answer = api.post("/generate/text", headers=ada.headers, json=body)
    assert answer.status_code == 422 and answer.json()["code"] == "price_unknown"
    assert simulator.requests("/chat/completions") == []
    assert estimate(api, ada, kind="text", **body)["reason"] == "price_unknown"
    unlimited = estimate(api, bob, kind="text", **body)
    assert unlimited["max_cost"] is None and unlimited["allowed"] is True


def test_a_call_settles_at_its_real_cost(api: TestClient, admin: Account, ada: Account) -> None:
    set_budget(api, admin, ada, 1, "month")
    body = {"prompt": "Say hi", "model": MODEL, "max_tokens": 50}
    bound = estimate(api, ada, kind="text", **body)["max_cost"]
    answer = api.post("/generate/text", headers=ada.headers, json=body)
    assert answer.status_code == 200, answer.text
    cost = answer.json()["usage"]["cost"]
    after = budget(api, ada)
    assert after["reserved"] == 0 and 0 < after["spent"] <= bound
    assert Decimal(str(after["spent"])) == Decimal(str(cost)).quantize(Decimal("1e-9"))
    streamed = api.post("/generate/text/stream", headers=ada.headers, json=body)
    assert streamed.status_code == 200 and "event: done" in streamed.text
    assert budget(api, ada)["spent"] > after["spent"] and budget(api, ada)["reserved"] == 0


def test_the_estimate_says_what_a_request_would_reserve(
    api: TestClient, admin: Account, ada: Account
) -> None:
    body = {"kind": "text", "model": MODEL, "prompt": "hi", "max_tokens": 100}
    free = estimate(api, ada, **body)
    assert free["allowed"] is True and free["reason"] is None
    # (2 bytes + 16 template tokens) x 0.15 $/M + 100 x 0.6 $/M
    assert free["max_cost"] == 0.0000627
    set_budget(api, admin, ada, 0.00006, "week")
    tight = estimate(api, ada, **body)
    assert tight["allowed"] is False and tight["reason"] == "budget_exceeded"
    assert tight["budget"]["limit"] == 0.00006 and budget(api, ada)["reserved"] == 0
    image = estimate(api, ada, kind="image", model="google/gemini-2.5-flash-image", prompt="a")
    assert image["max_cost"] is not None and image["max_cost"] > 0


def test_users_and_stats_show_spend_against_budgets(
    api: TestClient, admin: Account, ada: Account, bob: Account
) -> None:
    set_budget(api, admin, ada, 1, "month")
    body = {"prompt": "Say hi", "model": MODEL, "max_tokens": 20}
    assert api.post("/generate/text", headers=ada.headers, json=body).status_code == 200
    listed = api.get("/users", headers=admin.headers).json()["data"]
    mine = next(u for u in listed if u["id"] == ada.id)
    assert set(mine["budget"]) == BUDGET_KEYS and mine["budget"]["limit"] == 1
    assert mine["budget"]["spent"] > 0
    one = api.get(f"/users/{bob.id}", headers=admin.headers).json()
    assert one["budget"]["limit"] is None
    stats = api.get("/admin/stats", headers=admin.headers).json()["budgets"]
    assert stats["limited_users"] == 1 and stats["reserved"] == 0
    assert stats["spent"] == mine["budget"]["spent"]
    (nearest,) = stats["nearest"]
    assert nearest["user_id"] == ada.id and nearest["email"] == ada.email
    assert 0 < nearest["used_ratio"] < 1 and nearest["remaining"] < 1
