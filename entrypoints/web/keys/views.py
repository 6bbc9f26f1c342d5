"""The signed-in user's API keys: the list, a new key shown once, and confirmed revocation.

The key itself is only in the page that answers the creating POST (no-store, like every
page): never in the session, a flash or a URL, so a reload of the list cannot show it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.auth.problems import present
from entrypoints.web.keys.forms import ConfirmRevokeForm, CreateKeyForm
from entrypoints.web.keys.types import ApiKeyJson
from entrypoints.web.lookup import check_id
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("api_keys", __name__, url_prefix="/account/api-keys")

PUBLIC_API_URL = "ALLUCANGET_PUBLIC_API_URL"
EXAMPLE_MODEL = "openai/gpt-4o-mini"
TOO_MANY = "You have the most API keys allowed (20). Revoke one you no longer use first."
ALREADY_REVOKED = "That key no longer exists: it was already revoked or has expired."
REVOKED = "The key was revoked: programs using it are refused from now on."
MESSAGES = {"too_many_keys": TOO_MANY}


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    return _list_page(CreateKeyForm(), 200)


@bp.post("")
@login_required
def create() -> ResponseReturnValue:
    form = CreateKeyForm()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    name, days = form.name.data, form.expires_in_days.data
    try:
        created = call_api(lambda token: api().create_api_key(token, name, days))
    except ApiProblem as problem:
        # validation_error lands on the fields it names; too_many_keys is a flash
        return _list_page(form, present(problem, form, messages=MESSAGES))
    page = render_template(
        "keys/created.html",
        created=created,
        api_url=current_app.config[PUBLIC_API_URL],
        model=EXAMPLE_MODEL,
    )
    # Never kept by a browser or a proxy (security.py says so for every page; this one must).
    return page, 201, {"Cache-Control": "no-store"}


@bp.get("/<key_id>/revoke")
@login_required
def confirm_revoke(key_id: str) -> ResponseReturnValue:
    """The confirmation step: nothing is revoked on GET."""
    check_id(key_id)
    key = find(call_api(lambda token: api().api_keys(token)), key_id)
    if key is None:
        flash(ALREADY_REVOKED, "info")
        return redirect(url_for(".index"))
    return render_template(
        "keys/revoke.html",
        key=key,
        owner=None,
        form=ConfirmRevokeForm(),
        action=url_for(".revoke", key_id=key_id),
        back=url_for(".index"),
    )


@bp.post("/<key_id>/revoke")
@login_required
def revoke(key_id: str) -> ResponseReturnValue:
    check_id(key_id)
    if not ConfirmRevokeForm().validate_on_submit():
        abort(400)
    try:
        call_api(lambda token: api().revoke_api_key(token, key_id))
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        flash(ALREADY_REVOKED, "info")
        return redirect(url_for(".index"))
    flash(REVOKED, "success")
    return redirect(url_for(".index"))


def _list_page(form: CreateKeyForm, status: int) -> ResponseReturnValue:
    keys = call_api(lambda token: api().api_keys(token))
    page = render_template("keys/index.html", form=form, keys=keys, revoke_url=_revoke_url)
    return page, status


def _revoke_url(key: ApiKeyJson) -> str:
    return url_for("api_keys.confirm_revoke", key_id=key["id"])


def find(keys: list[ApiKeyJson], key_id: str) -> ApiKeyJson | None:
    return next((key for key in keys if key["id"] == key_id), None)
