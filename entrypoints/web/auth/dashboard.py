"""The signed-in home page, and the health probe."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue

from entrypoints.web.session import api, call_api, login_required, update_user

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    user = call_api(api().me)
    # The role may have changed since sign-in; the API's answer is authoritative (security.md #15).
    update_user(user["email"], user["role"])
    return render_template("dashboard/index.html", user=user)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
