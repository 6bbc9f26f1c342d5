"""The forms of the API keys pages; the API stays the judge of names and expiries."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from entrypoints.web.fields import strip

MAX_NAME = 100  # keys_contract.md: 1-100 characters
MAX_DAYS = 3650


class CreateKeyForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired("Name the key, e.g. after the program that will use it."),
            Length(max=MAX_NAME, message=f"At most {MAX_NAME} characters."),
        ],
        render_kw={"autocomplete": "off", "maxlength": MAX_NAME, "spellcheck": "false"},
    )
    expires_in_days = IntegerField(
        "Expires after (days, empty: never)",
        validators=[
            Optional(),
            NumberRange(1, MAX_DAYS, message=f"Between 1 and {MAX_DAYS} days."),
        ],
        render_kw={"min": 1, "max": MAX_DAYS, "inputmode": "numeric"},
    )


class ConfirmRevokeForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    """Only the CSRF token: the key is named in the path."""
