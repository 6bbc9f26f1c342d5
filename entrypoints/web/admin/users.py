"""The users table of the admin area: search, paging, role changes and confirmed deletion."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.admin.access import Pager, admin_call, admin_page, offset_arg
from entrypoints.web.admin.forms import ROLES, ConfirmDeleteForm, RoleForm, users_page
from entrypoints.web.api_client import ApiProblem
from entrypoints.web.auth.types import UserJson
from entrypoints.web.budget import PERIODS
from entrypoints.web.lookup import check_id
from entrypoints.web.session import api, current_path, current_user, forget, update_user

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")

PAGE_SIZE = 20
MAX_QUERY = 320  # the API's bound on q
ALREADY_DELETED = "That user no longer exists: they were already deleted."
LAST_ADMIN = {
    "role": "This is the last admin and cannot be demoted. Make someone else an admin first.",
    "delete": "This is the last admin and cannot be deleted. Make someone else an admin first.",
}
CHANGED = "That user changed in the meantime. Please try again."
GENERIC = "That did not work. Please try again."
SELF_DELETED = "Your account was deleted. Sign in with another account to continue."
SELF_DEMOTED = "You are no longer an admin."


@bp.get("")
@admin_page
def index() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    offset = offset_arg(request.args.get("offset"))
    page = admin_call(lambda token: api().users(token, query=query, limit=PAGE_SIZE, offset=offset))
    pager = Pager(offset, PAGE_SIZE, page["total"], len(page["data"]))
    return render_template(
        "admin/users.html",
        page=page,
        pager=pager,
        query=query,
        roles=ROLES,
        back=current_path(),
        budget_periods=PERIODS,
    )


@bp.post("/<user_id>/role")
@admin_page
def role(user_id: str) -> ResponseReturnValue:
    check_id(user_id)
    form = RoleForm()
    back = users_page(form.back.data)
    if not form.validate_on_submit():
        flash("Choose a role: user or admin.", "error")
        return redirect(back)
    wanted = form.role.data
    try:
        user = admin_call(lambda token: api().user(token, user_id))
        if user["role"] == wanted:
            flash(f"{user['email']} is already {_a(wanted)}.", "info")
            return redirect(back)
        user = admin_call(lambda token: api().set_role(token, user_id, wanted))
    except ApiProblem as problem:
        flash(_message(problem, "role"), "info" if problem.code == "not_found" else "error")
        return redirect(back)
    if user["email"] == _own_email() and wanted != "admin":
        update_user(user["email"], wanted)
        flash(SELF_DEMOTED, "success")
        return redirect(url_for("dashboard.index"))
    flash(f"{user['email']} is now {_a(wanted)}.", "success")
    return redirect(back)


@bp.get("/<user_id>/delete")
@admin_page
def confirm_delete(user_id: str) -> ResponseReturnValue:
    """The confirmation step: nothing is deleted on GET (security.md #40)."""
    check_id(user_id)
    back = users_page(request.args.get("back"))
    user = _find(user_id)
    if user is None:
        flash(ALREADY_DELETED, "info")
        return redirect(back)
    form = ConfirmDeleteForm(back=back)
    return render_template("admin/delete.html", user=user, form=form, back=back)


@bp.post("/<user_id>/delete")
@admin_page
def delete(user_id: str) -> ResponseReturnValue:
    check_id(user_id)
    form = ConfirmDeleteForm()
    back = users_page(form.back.data)
    if not form.validate_on_submit():
        abort(400)
    user = _find(user_id)
    if user is None:
        flash(ALREADY_DELETED, "info")
        return redirect(back)
    try:
        admin_call(lambda token: api().delete_user(token, user_id))
    except ApiProblem as problem:
        flash(_message(problem, "delete"), "info" if problem.code == "not_found" else "error")
        return redirect(back)
    if user["email"] == _own_email():
        forget()  # the API has just ended this very session
        flash(SELF_DELETED, "info")
        return redirect(url_for("auth.login"))
    flash(f"{user['email']} was deleted, with their generations and media.", "success")
    return redirect(back)


def _find(user_id: str) -> UserJson | None:
    try:
        return admin_call(lambda token: api().user(token, user_id))
    except ApiProblem as problem:
        if problem.code == "not_found":
            return None
        raise


def _message(problem: ApiProblem, action: str) -> str:
    if problem.code == "not_found":
        return ALREADY_DELETED
    if problem.code == "last_admin":
        return LAST_ADMIN[action]
    return CHANGED if problem.code == "conflict" else GENERIC


def _a(role: str) -> str:
    return "an admin" if role == "admin" else "a user"


def _own_email() -> str | None:
    me = current_user()
    return None if me is None else me["email"]
