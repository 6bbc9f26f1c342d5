"""The dashboard's budget card, and the budget words every page shares (budget.py)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from flask.testing import FlaskClient

from entrypoints.web.budget import Estimate, over_budget, reset_day, summary, usd
from tests.web.conftest import FakeApi, problem
from tests.web.fake_budget import budget_json


def card(page: str) -> str:
    start = page.index('data-testid="budget-card"')
    return html.unescape(page[start : page.index("</section>", start)])


def test_a_limited_budget_shows_spent_remaining_and_the_reset(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.budgets.set("ada@example.com", limit=5.0, spent=1.23, reserved=0.27)

    text = card(signed_in.get("/").text)

    assert "$1.23 of $5.00 spent this month, resets 1 January 2099" in text
    assert 'data-testid="budget-remaining">$3.50<' in text
    assert 'data-testid="budget-reserved">$0.27 ' in text
    assert 'data-testid="budget-limit">$5.00 per month<' in text
    assert '<time datetime="2099-01-01T00:00:00Z">1 January 2099</time>' in text
    # The bar: spent and reserved, as a share of the limit, with words for screen readers.
    assert '<meter class="budget-meter"' in text
    assert 'value="30.0"' in text
    assert 'aria-valuetext="30.0% used"' in text


def test_an_unlimited_budget_says_so_without_a_bar(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.budgets.set("ada@example.com", limit=None, spent=0.5)

    text = card(signed_in.get("/").text)

    assert "Unlimited · $0.50 spent this month" in text
    assert "<meter" not in text


def test_a_lifetime_cap_never_resets(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.budgets.set("ada@example.com", limit=2.0, period="none", spent=2.5)

    text = card(signed_in.get("/").text)

    assert "$2.50 of $2.00 spent in all" in text
    assert 'data-testid="budget-resets">never<' in text
    assert 'value="100.0"' in text  # over the limit: the bar is full, not past its end


def test_the_page_stands_when_the_budget_cannot_be_read(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.forced["/me/budget"] = problem(404, "not_found")

    response = signed_in.get("/")

    assert response.status_code == 200
    assert "Your budget cannot be shown right now." in card(response.text)
    assert 'data-testid="user-email">ada@example.com<' in response.text


def test_money_and_days_in_words() -> None:
    this_year = datetime.now(UTC).year
    assert usd(5) == "$5.00"
    assert usd(1234.5) == "$1,234.50"
    assert usd(0.00042) == "$0.00042"
    assert usd(None) == "$0.00"
    assert reset_day(f"{this_year}-03-01T00:00:00Z") == "1 March"
    assert reset_day("2099-01-01T00:00:00+00:00") == "1 January 2099"
    assert reset_day("soon") == ""
    assert summary(budget_json(limit=1, period="day", spent=0.25)).startswith(
        "$0.25 of $1.00 spent today, resets"
    )
    assert summary(budget_json(limit=None, period="week")) == "Unlimited · $0.00 spent this week"


def test_over_budget_says_what_it_could_cost_and_what_is_left() -> None:
    budget = budget_json(limit=5.0, spent=4.99)

    assert over_budget(budget, 0.05) == (
        "This could cost up to $0.05, but only $0.01 of your $5.00 monthly budget is left; "
        "it resets on 1 January 2099."
    )
    # A 402 alone names no period and no cost.
    refusal = {"limit": 5.0, "spent": 4.0, "reserved": 0.5, "resets_at": None}
    assert over_budget(refusal) == (
        "This request could cost more than the $0.50 left of your $5.00 budget."
    )


def test_an_estimate_in_words() -> None:
    unlimited = Estimate.from_json({"max_cost": 0.05, "budget": budget_json(), "allowed": True})
    limited = Estimate.from_json(
        {"max_cost": 0.05, "budget": budget_json(limit=5, spent=1), "allowed": True}
    )
    unknown = Estimate.from_json(
        {
            "max_cost": None,
            "budget": budget_json(limit=5),
            "allowed": False,
            "reason": "price_unknown",
        }
    )

    assert unlimited.text == "Estimated cost: at most $0.05."
    assert limited.text == (
        "Estimated cost: at most $0.05. $4.00 of your $5.00 monthly budget is left."
    )
    assert unknown.text.startswith("The price of this model is not known")
    assert not unknown.allowed
