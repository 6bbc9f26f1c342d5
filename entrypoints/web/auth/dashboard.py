"""The signed-in home page (who is signed in, and their spending budget), and the health probe."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue

from entrypoints.web.api_errors import ApiProblem, ApiUnavailableError
from entrypoints.web.budget import BudgetJson
from entrypoints.web.session import api, call_api, login_required, update_user

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    user = call_api(api().me)
    # The role may have changed since sign-in; the API's answer is authoritative (security.md #15).
    update_user(user["email"], user["role"])
    return render_template("dashboard/index.html", user=user, budget=_budget())


def _budget() -> BudgetJson | None:
    """None when the API cannot say: the card says so, the rest of the page stands."""
    try:
        return call_api(api().my_budget)
    except (ApiProblem, ApiUnavailableError):
        return None


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
