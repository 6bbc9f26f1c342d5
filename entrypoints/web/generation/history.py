"""The history: a user's generations newest first, one in detail, and deleting one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.generation.problems import error_code_message
from entrypoints.web.lookup import call_or_404, check_id
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("history", __name__)

PAGE_SIZE = 20
MAX_CURSOR = 200  # the API refuses longer ones
KINDS = (("", "All"), ("text", "Text"), ("image", "Images"), ("video", "Video"))
DELETED = "The generation and its files were deleted."
ALREADY_GONE = "That generation no longer exists."
CHANGED = "That generation changed in the meantime. Please try again."
STALE_PAGE = "That page of the history is no longer available; here are the newest."


@bp.get("/history")
@login_required
def index() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    kind = kind if kind in dict(KINDS) else ""
    cursor = request.args.get("cursor", "")[:MAX_CURSOR] or None
    try:
        page = call_api(
            lambda token: api().generations(
                token, kind=kind or None, cursor=cursor, limit=PAGE_SIZE
            )
        )
    except ApiProblem as problem:
        if cursor is None or problem.code != "validation_error":
            raise
        flash(STALE_PAGE, "info")
        return redirect(url_for("history.index", kind=kind or None))
    return render_template(
        "history/index.html", page=page, kind=kind, kinds=KINDS, more=bool(cursor)
    )


@bp.get("/history/<generation_id>")
@login_required
def detail(generation_id: str) -> ResponseReturnValue:
    check_id(generation_id)
    generation = call_or_404(lambda token: api().generation(token, generation_id))
    message = error_code_message(generation.get("error_code"))
    return render_template("history/detail.html", generation=generation, error_message=message)


@bp.post("/history/<generation_id>/delete")
@login_required
def delete(generation_id: str) -> ResponseReturnValue:
    """Reached from the confirmation inside the detail page (security.md #40: POST + CSRF)."""
    check_id(generation_id)
    try:
        call_api(lambda token: api().delete_generation(token, generation_id))
    except ApiProblem as problem:
        if problem.code == "not_found":
            flash(ALREADY_GONE, "info")
            return redirect(url_for("history.index"))
        if problem.code == "conflict":
            flash(CHANGED, "error")
            return redirect(url_for("history.detail", generation_id=generation_id))
        raise
    flash(DELETED, "success")
    return redirect(url_for("history.index"))
