"""Forms of the admin area: a role change and the confirmation of a deletion (CSRF in both)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField

from entrypoints.web.security import safe_next

ROLES = (SelectChoice("user", "User"), SelectChoice("admin", "Admin"))


class RoleForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    role = SelectField("Role", choices=ROLES)
    back = HiddenField()


class ConfirmDeleteForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    back = HiddenField()


def users_page(back: str | None) -> str:
    """Where to return after an action: a page of the users table (search and paging kept)."""
    default = url_for("admin_users.index")
    target = safe_next(back, default)
    return target if urlsplit(target).path == default else default
