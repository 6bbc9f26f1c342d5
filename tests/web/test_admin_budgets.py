"""An admin sets a user's spending budget (PUT /users/{id}/budget) from the users table or
the user's budget page, and the overview lists the users nearest their limit."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token
from tests.web.fake_budget import budget_json

ADA = "ada@example.com"


def row(page: str, email: str) -> str:
    start = page.index(f'data-email="{email}"')
    return html.unescape(page[start : page.index("</tr>", start)])


def flashes(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)]


def test_the_table_shows_spend_and_budget_with_a_form_per_user(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user(ADA)
    fake_api.budgets.set(ADA, limit=5.0, period="week", spent=1.5, reserved=0.25)
    ada = fake_api.user_id(ADA)

    text = row(as_admin.get("/admin/users").text, ADA)

    assert '<td class="num" data-testid="user-spent">$1.50 ' in text
    assert "+ $0.25 reserved" in text
    assert '<summary><span data-testid="user-limit">$5.00 per week</span>' in text
    assert f'<form method="post" action="/admin/users/{ada}/budget" class="budget-form">' in text
    assert f'id="limit-{ada}" name="limit"' in text
    assert 'value="5.0"' in text
    assert '<option value="week" selected>Per week</option>' in text
    assert f'<label class="visually-hidden" for="limit-{ada}">Budget of {ADA} in USD' in text


def test_setting_a_budget_puts_it_and_says_so(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    ada = fake_api.user_id(ADA)
    data = {
        "csrf_token": csrf_token(as_admin, "/admin/users"),
        "limit": "2.50",
        "period": "day",
        "back": "/admin/users?q=ada",
    }

    response = as_admin.post(f"/admin/users/{ada}/budget", data=data)

    assert response.status_code == 302
    assert response.location == "/admin/users?q=ada"
    assert fake_api.budgets.changes == [{"limit": 2.5, "period": "day"}]
    assert f"PUT /users/{ada}/budget" in fake_api.calls
    assert flashes(as_admin.get(response.location).text) == [f"Budget of {ADA}: $2.50 per day."]


def test_an_empty_limit_means_unlimited(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    fake_api.budgets.set(ADA, limit=5.0)
    token = csrf_token(as_admin, "/admin/users")
    data = {"csrf_token": token, "limit": "", "period": "month"}

    response = as_admin.post(f"/admin/users/{fake_api.user_id(ADA)}/budget", data=data)

    assert fake_api.budgets.changes == [{"limit": None, "period": "month"}]
    assert flashes(as_admin.get(response.location).text) == [f"Budget of {ADA}: unlimited."]


def test_a_wrong_limit_is_shown_on_its_field_before_the_api(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user(ADA)
    data = {"csrf_token": csrf_token(as_admin, "/admin/users"), "limit": "-3", "period": "month"}

    response = as_admin.post(f"/admin/users/{fake_api.user_id(ADA)}/budget", data=data)

    assert response.status_code == 400
    assert 'id="limit-error">Use 0 to 1,000,000,000 dollars, or leave it empty.<' in response.text
    assert 'aria-invalid="true"' in response.text
    assert fake_api.budgets.changes == []


def test_the_apis_422_lands_on_the_field(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    errors = [{"loc": ["body", "limit"], "msg": "Too many decimal places."}]
    body = {"type": "/problems/validation_error", "status": 422, "code": "validation_error"}
    ada = fake_api.user_id(ADA)
    fake_api.forced[f"/users/{ada}/budget"] = (422, {**body, "errors": errors}, {})
    data = {"csrf_token": csrf_token(as_admin, "/admin/users"), "limit": "0.001", "period": "day"}

    response = as_admin.post(f"/admin/users/{ada}/budget", data=data)

    assert response.status_code == 422
    assert 'id="limit-error">Too many decimal places.<' in response.text
    assert "Please correct the highlighted fields." in response.text
    assert 'value="0.001"' in response.text
    assert '<option selected value="day">' in response.text


def test_the_budget_page_shows_the_budget_now(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user(ADA)
    fake_api.budgets.set(ADA, limit=5.0, spent=1.23)

    page = html.unescape(as_admin.get(f"/admin/users/{fake_api.user_id(ADA)}/budget").text)

    assert "Now: $1.23 of $5.00 spent this month, resets 1 January 2099." in page
    assert 'value="5.0"' in page


def test_a_deleted_user_has_no_budget_to_set(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    token = csrf_token(as_admin, "/admin/users")

    response = as_admin.post("/admin/users/u999/budget", data={"csrf_token": token})

    assert response.status_code == 302
    assert flashes(as_admin.get(response.location).text) == [
        "That user no longer exists: they were deleted."
    ]


def test_a_user_cannot_set_budgets(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    token = csrf_token(signed_in, "/text")
    ada = fake_api.user_id(ADA)

    response = signed_in.post(f"/admin/users/{ada}/budget", data={"csrf_token": token})

    assert response.status_code == 403
    assert fake_api.budgets.changes == []


def test_the_overview_lists_the_users_nearest_their_limit(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user(ADA)
    fake_api.budgets.set(ADA, limit=5.0, spent=4.5, reserved=0.1)
    nearest = {**budget_json(limit=5.0, spent=4.5, reserved=0.1), "used_ratio": 0.92}
    fake_api.budgets.nearest = [{"user_id": fake_api.user_id(ADA), "email": ADA, **nearest}]

    page = html.unescape(as_admin.get("/admin").text)

    assert "$4.50 spent in this period · $0.10 reserved now · 1 user with a limit" in page
    table = page[
        page.index('data-testid="nearest-table"') : page.index(
            "</table>", page.index("nearest-table")
        )
    ]
    assert "ada@<wbr>example.com" in table
    assert 'value="92"' in table
    assert "92%" in table
    assert "$5.00 /month" in table
    assert "$0.40" in table  # left


def test_the_overview_without_budgets_from_the_api(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    page = as_admin.get("/admin").text

    assert "No user has a spending limit." in page
