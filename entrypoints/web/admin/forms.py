"""Forms of the admin area: a role change, a budget, the confirmation of a deletion (CSRF
in all)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from entrypoints.web.budget import PERIODS
from entrypoints.web.security import safe_next

ROLES = (SelectChoice("user", "User"), SelectChoice("admin", "Admin"))


class RoleForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    role = SelectField("Role", choices=ROLES)
    back = HiddenField()


MAX_BUDGET = 1_000_000_000  # USD, the API's bound


class BudgetForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    """A spending limit in USD (empty: unlimited) and the period it applies to."""

    limit = DecimalField(
        "Limit in USD",
        places=None,
        validators=[
            Optional(),
            NumberRange(0, MAX_BUDGET, f"Use 0 to {MAX_BUDGET:,} dollars, or leave it empty."),
        ],
        render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"},
    )
    period = SelectField("Period", choices=[SelectChoice(v, label) for v, label in PERIODS])
    back = HiddenField()


class ConfirmDeleteForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    back = HiddenField()


def users_page(back: str | None) -> str:
    """Where to return after an action: a page of the users table (search and paging kept)."""
    default = url_for("admin_users.index")
    target = safe_next(back, default)
    return target if urlsplit(target).path == default else default
