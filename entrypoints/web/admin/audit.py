"""The audit trail: admin actions and security events, newest first, in words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from entrypoints.web.admin.access import Pager, admin_call, admin_page, offset_arg
from entrypoints.web.admin.types import AuditEventJson
from entrypoints.web.api_client import ApiProblem
from entrypoints.web.session import api

bp = Blueprint("admin_audit", __name__, url_prefix="/admin/audit")

PAGE_SIZE = 25
ACTIONS = {
    "authz_change": "Role changed",
    "user_deleted": "User deleted",
    "admin_bootstrap": "First admin set up",
    "authn_login_lock": "Sign-in locked",
    "authn_token_reuse": "Token reuse detected",
}
OUTCOMES = {
    "ok": "done",
    "family_revoked": "sessions revoked",
    "already_admin": "already an admin",
    "created": "account created",
}


@dataclass(frozen=True, slots=True)
class Person:
    text: str
    title: str = ""  # the full id, when only part of it is shown


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: str
    action: str
    code: str
    actor: Person
    target: Person
    outcome: str
    detail: str


@bp.get("")
@admin_page
def index() -> ResponseReturnValue:
    offset = offset_arg(request.args.get("offset"))
    page = admin_call(lambda token: api().audit(token, limit=PAGE_SIZE, offset=offset))
    emails = _emails(_ids(page["data"]))
    rows = [_row(event, emails) for event in page["data"]]
    pager = Pager(offset, PAGE_SIZE, page["total"], len(rows))
    return render_template("admin/audit.html", rows=rows, pager=pager)


def _ids(events: Iterable[AuditEventJson]) -> list[str]:
    ids = (i for e in events for i in (e["actor_id"], e["target_id"]) if i)
    return list(dict.fromkeys(ids))


def _emails(user_ids: list[str]) -> dict[str, str]:
    """The email of each user that still exists: one lookup per person on this page."""
    found = {}
    for user_id in user_ids:
        email = _email(user_id)
        if email is not None:
            found[user_id] = email
    return found


def _email(user_id: str) -> str | None:
    try:
        return admin_call(lambda token: api().user(token, user_id))["email"]
    except ApiProblem as problem:
        if problem.code == "not_found":
            return None
        raise


def _row(event: AuditEventJson, emails: dict[str, str]) -> AuditRow:
    action, detail = event["action"], event["detail"] or ""
    # A deleted user can no longer be looked up; their event keeps the email in its detail.
    gone = f"{detail} (deleted)" if action == "user_deleted" and detail else ""
    return AuditRow(
        at=event["at"],
        action=ACTIONS.get(action, action.replace("_", " ")),
        code=action,
        actor=_person(event["actor_id"], emails, "system"),
        target=_person(event["target_id"], emails, "—", gone),
        outcome=OUTCOMES.get(event["outcome"], event["outcome"].replace("_", " ")),
        detail=_detail(action, detail),
    )


def _detail(action: str, detail: str) -> str:
    if action == "user_deleted":
        return ""  # the email, already shown as the target
    if action == "authn_token_reuse" and len(detail) > 8:
        return f"session family {detail[:8]}…"
    return detail.replace(" -> ", " → ").replace(",", ", ")


def _person(user_id: str | None, emails: dict[str, str], nobody: str, gone: str = "") -> Person:
    if not user_id:
        return Person(nobody)
    if user_id in emails:
        return Person(emails[user_id], user_id)
    return Person(gone or f"deleted user {user_id[:8]}…", user_id)
