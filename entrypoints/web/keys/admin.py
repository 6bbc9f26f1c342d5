"""An admin's view of one user's API keys, and their confirmed revocation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.admin.access import admin_call, admin_page
from entrypoints.web.api_client import ApiProblem
from entrypoints.web.auth.types import UserJson
from entrypoints.web.keys.forms import ConfirmRevokeForm
from entrypoints.web.keys.types import ApiKeyJson
from entrypoints.web.keys.views import ALREADY_REVOKED, REVOKED, find
from entrypoints.web.lookup import check_id
from entrypoints.web.session import api

bp = Blueprint("admin_keys", __name__, url_prefix="/admin/users/<user_id>/api-keys")

NO_USER = "That user no longer exists."


@bp.get("")
@admin_page
def index(user_id: str) -> ResponseReturnValue:
    check_id(user_id)
    found = _user_and_keys(user_id)
    if found is None:
        flash(NO_USER, "info")
        return redirect(url_for("admin_users.index"))
    user, keys = found

    def revoke_url(key: ApiKeyJson) -> str:
        return url_for(".confirm_revoke", user_id=user_id, key_id=key["id"])

    return render_template("admin/keys.html", user=user, keys=keys, revoke_url=revoke_url)


@bp.get("/<key_id>/revoke")
@admin_page
def confirm_revoke(user_id: str, key_id: str) -> ResponseReturnValue:
    """The confirmation step: nothing is revoked on GET."""
    check_id(user_id)
    check_id(key_id)
    found = _user_and_keys(user_id)
    if found is None:
        flash(NO_USER, "info")
        return redirect(url_for("admin_users.index"))
    user, keys = found
    key = find(keys, key_id)
    if key is None:
        flash(ALREADY_REVOKED, "info")
        return redirect(url_for(".index", user_id=user_id))
    return render_template(
        "keys/revoke.html",
        key=key,
        owner=user,
        form=ConfirmRevokeForm(),
        action=url_for(".revoke", user_id=user_id, key_id=key_id),
        back=url_for(".index", user_id=user_id),
    )


@bp.post("/<key_id>/revoke")
@admin_page
def revoke(user_id: str, key_id: str) -> ResponseReturnValue:
    check_id(user_id)
    check_id(key_id)
    if not ConfirmRevokeForm().validate_on_submit():
        abort(400)
    try:
        admin_call(lambda token: api().revoke_user_api_key(token, user_id, key_id))
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        flash(ALREADY_REVOKED, "info")
        return redirect(url_for(".index", user_id=user_id))
    flash(REVOKED, "success")
    return redirect(url_for(".index", user_id=user_id))


def _user_and_keys(user_id: str) -> tuple[UserJson, list[ApiKeyJson]] | None:
    """The user and their live keys, or None when the API does not know the user."""
    try:
        user = admin_call(lambda token: api().user(token, user_id))
        keys = admin_call(lambda token: api().user_api_keys(token, user_id))
    except ApiProblem as problem:
        if problem.status == 404:
            return None
        raise
    return user, keys
