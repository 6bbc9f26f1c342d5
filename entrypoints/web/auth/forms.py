"""Forms of sign-in, registration and password change; the API stays the judge of password
policy (security.md #3)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from entrypoints.web.fields import strip

MAX_EMAIL = 254  # RFC 5321 path limit
# A bound on what we forward, not the policy: the API answers weak_password (security.md #3).
MAX_PASSWORD = 4096
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email_shape(_form: FlaskForm, field: Field) -> None:
    if not EMAIL_SHAPE.fullmatch(field.data or ""):
        raise ValidationError("Enter a valid email address.")


def _email() -> StringField:
    return StringField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=MAX_EMAIL, message="That email address is too long."),
            _email_shape,
        ],
        render_kw={"autocomplete": "email", "type": "email", "inputmode": "email"},
    )


def _password(label: str, autocomplete: str, required: str) -> PasswordField:
    # No filters: passwords are never trimmed or case-folded (security.md #3).
    return PasswordField(
        label,
        validators=[
            InputRequired(required),
            Length(max=MAX_PASSWORD, message="That password is too long."),
        ],
        render_kw={"autocomplete": autocomplete},
    )


class LoginForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    email = _email()
    password = _password("Password", "current-password", "Enter your password.")


class RegisterForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    email = _email()
    password = _password("Password", "new-password", "Choose a password.")
    confirm = PasswordField(
        "Confirm password",
        validators=[
            InputRequired("Repeat your password."),
            EqualTo("password", message="The passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    current_password = _password(
        "Current password", "current-password", "Enter your current password."
    )
    new_password = _password("New password", "new-password", "Choose a new password.")
