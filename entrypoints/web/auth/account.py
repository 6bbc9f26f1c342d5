"""The signed-in user's account: change password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.auth.forms import ChangePasswordForm
from entrypoints.web.auth.problems import present
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("account", __name__, url_prefix="/account")

CHANGED_MESSAGE = "Your password has been changed. Your other sessions have been signed out."
WRONG_CURRENT = "Your current password is incorrect."


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    current, new, address = form.current_password.data, form.new_password.data, request.remote_addr
    try:
        call_api(lambda token: api().change_password(token, current, new, address))
    except ApiProblem as problem:
        # invalid_credentials here is the current password, not the session (session.py).
        fields = {"invalid_credentials": "current_password", "weak_password": "new_password"}
        messages = {"invalid_credentials": WRONG_CURRENT}
        status = present(problem, form, fields=fields, messages=messages)
        return _page(form, status)
    flash(CHANGED_MESSAGE, "success")
    return redirect(url_for("dashboard.index"))


def _page(form: ChangePasswordForm, status: int) -> ResponseReturnValue:
    return render_template("account/password.html", form=form), status
