"""A user's spending budget, set by an admin: from the users table, or on its own page
(which also shows what the API refused, on the field)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue

from entrypoints.web.admin.access import admin_call, admin_page
from entrypoints.web.admin.forms import BudgetForm, users_page
from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.auth.types import UserJson
from entrypoints.web.budget import limit_words
from entrypoints.web.fields import attach_validation_errors
from entrypoints.web.lookup import check_id
from entrypoints.web.session import api

bp = Blueprint("admin_budgets", __name__, url_prefix="/admin/users")

GONE = "That user no longer exists: they were deleted."
FIX = "Please correct the highlighted fields."
FAILED = "The budget could not be saved. Please try again."


@bp.get("/<user_id>/budget")
@admin_page
def edit(user_id: str) -> ResponseReturnValue:
    check_id(user_id)
    back = users_page(request.args.get("back"))
    user = _find(user_id)
    if user is None:
        flash(GONE, "info")
        return redirect(back)
    budget: Mapping[str, Any] = user.get("budget") or {}
    form = BudgetForm(back=back, period=budget.get("period") or "month")
    if budget.get("limit") is not None:
        form.limit.data = budget["limit"]
    return _page(user, form, back)


@bp.post("/<user_id>/budget")
@admin_page
def save(user_id: str) -> ResponseReturnValue:
    """PUT /users/{id}/budget; a refusal comes back on this user's own budget page."""
    check_id(user_id)
    form = BudgetForm()
    back = users_page(form.back.data)
    user = _find(user_id)
    if user is None:
        flash(GONE, "info")
        return redirect(back)
    if not form.validate_on_submit():
        return _page(user, form, back, FIX), 400
    limit = None if form.limit.data is None else float(form.limit.data)
    try:
        admin_call(lambda token: api().set_budget(token, user_id, limit, form.period.data))
    except ApiProblem as problem:
        if problem.code == "not_found":
            flash(GONE, "info")
            return redirect(back)
        if problem.code == "validation_error" and attach_validation_errors(problem, form):
            return _page(user, form, back, FIX), 422
        return _page(user, form, back, problem.detail or FAILED), _status(problem.status)
    except ApiUnavailableError:
        return _page(user, form, back, FAILED), 503
    words = limit_words({"limit": limit, "period": form.period.data}).lower()
    flash(f"Budget of {user['email']}: {words}.", "success")
    return redirect(back)


def _find(user_id: str) -> UserJson | None:
    try:
        return admin_call(lambda token: api().user(token, user_id))
    except ApiProblem as problem:
        if problem.code == "not_found":
            return None
        raise


def _page(user: UserJson, form: BudgetForm, back: str, error: str = "") -> str:
    return render_template("admin/budget.html", user=user, form=form, back=back, error=error)


def _status(status: int) -> int:
    return status if status >= 400 else 502
