"""The chat page's conversations: the list, one conversation, new, rename and delete.

Every change is a plain form with its CSRF token, answered by a redirect (PRG); deleting
asks on a page of its own first, so no JavaScript confirm() is needed.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.chat.forms import NewChatForm, RenameForm
from entrypoints.web.chat.page import chat_page
from entrypoints.web.chat.problems import DELETED, NOT_FOUND, RENAMED, chat_message
from entrypoints.web.generation.problems import error_code_message
from entrypoints.web.lookup import call_or_404, check_id
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("chat", __name__)


@bp.get("/chat")
@login_required
def index() -> ResponseReturnValue:
    return chat_page()


@bp.get("/chat/<conversation_id>")
@login_required
def show(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    return chat_page(conversation_id)


@bp.post("/chat/new")
@login_required
def new() -> ResponseReturnValue:
    form = NewChatForm()
    if not form.validate():
        flash(" ".join(form.title.errors) or "Please try again.", "error")
        return redirect(url_for("chat.index"))
    try:
        created = call_api(lambda token: api().create_conversation(token, form.to_request()))
    except ApiProblem as problem:
        flash(chat_message(problem), "error")
        return redirect(url_for("chat.index"))
    return redirect(url_for("chat.show", conversation_id=created["id"]))


@bp.post("/chat/<conversation_id>/rename")
@login_required
def rename(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    form = RenameForm()
    if not form.validate():
        flash(" ".join(form.title.errors), "error")
    else:
        try:
            body = form.to_request()
            call_api(lambda token: api().update_conversation(token, conversation_id, body))
            flash(RENAMED, "success")
        except ApiProblem as problem:
            flash(chat_message(problem), "error")
            if problem.code == "not_found":
                return redirect(url_for("chat.index"))
    return redirect(url_for("chat.show", conversation_id=conversation_id))


@bp.get("/chat/<conversation_id>/delete")
@login_required
def confirm_delete(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    conversation = call_or_404(lambda token: api().conversation(token, conversation_id))
    return render_template("chat/delete.html", conversation=conversation)


@bp.post("/chat/<conversation_id>/delete")
@login_required
def delete(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    try:
        call_api(lambda token: api().delete_conversation(token, conversation_id))
    except ApiProblem as problem:
        if problem.code != "not_found":
            raise
        flash(NOT_FOUND, "info")
        return redirect(url_for("chat.index"))
    flash(DELETED, "success")
    return redirect(url_for("chat.index"))


@bp.app_template_filter("chat_error")
def chat_error(code: str | None) -> str:
    """The stored error code of a failed answer, in words."""
    return error_code_message(code)
