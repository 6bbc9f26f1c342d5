"""WTForms forms of the web UI; the API stays the judge of password policy and of models."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FloatField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from entrypoints.web.api_types import ImageRequest, TextRequest

MAX_EMAIL = 254  # RFC 5321 path limit
# A bound on what we forward, not the policy: the API answers weak_password (security.md #3).
MAX_PASSWORD = 4096
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_shape(_form: FlaskForm, field: Field) -> None:
    if not EMAIL_SHAPE.fullmatch(field.data or ""):
        raise ValidationError("Enter a valid email address.")


def _email() -> StringField:
    return StringField(
        "Email",
        filters=[_strip],
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


# api-contract.md, Generation limits
MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*/[a-zA-Z0-9._:-]+$")
MAX_MODEL_ID = 200
MAX_PROMPT = 32_000
MAX_TOKENS = 32_768
ASPECT_RATIOS = tuple(
    SelectChoice(ratio, f"{ratio} · {shape}")
    for ratio, shape in (
        ("1:1", "square"),
        ("2:3", "portrait"),
        ("3:2", "landscape"),
        ("3:4", "portrait"),
        ("4:3", "landscape"),
        ("4:5", "portrait"),
        ("5:4", "landscape"),
        ("9:16", "tall"),
        ("16:9", "wide"),
        ("21:9", "ultra-wide"),
    )
)


def _model() -> StringField:
    return StringField(
        "Model",
        filters=[_strip],
        validators=[
            DataRequired("Choose a model."),
            Length(max=MAX_MODEL_ID, message="That model id is too long."),
            Regexp(MODEL_ID, message="Enter a model id such as openai/gpt-4o-mini."),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


def _prompt() -> TextAreaField:
    # Not trimmed: what was typed is what the model gets.
    return TextAreaField(
        "Prompt",
        validators=[
            DataRequired("Enter a prompt."),
            Length(max=MAX_PROMPT, message=f"Keep the prompt under {MAX_PROMPT:,} characters."),
        ],
        render_kw={"rows": 5},
    )


class TextForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = _model()
    prompt = _prompt()
    system = TextAreaField(
        "System prompt",
        validators=[Optional(), Length(max=MAX_PROMPT, message="The system prompt is too long.")],
        render_kw={"rows": 2},
    )
    temperature = FloatField(
        "Temperature",
        validators=[Optional(), NumberRange(0, 2, "Use a temperature from 0 to 2.")],
        render_kw={"type": "number", "step": "0.1", "min": "0", "max": "2", "inputmode": "decimal"},
    )
    max_tokens = IntegerField(
        "Max tokens",
        validators=[Optional(), NumberRange(1, MAX_TOKENS, f"Use 1 to {MAX_TOKENS} tokens.")],
        render_kw={"type": "number", "min": "1", "max": str(MAX_TOKENS), "inputmode": "numeric"},
    )

    def to_request(self) -> TextRequest:
        body = TextRequest(prompt=self.prompt.data, model=self.model.data)
        if self.system.data:
            body["system"] = self.system.data
        if self.temperature.data is not None:
            body["temperature"] = float(self.temperature.data)
        if self.max_tokens.data is not None:
            body["max_tokens"] = int(self.max_tokens.data)
        return body


class ImageForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = _model()
    prompt = _prompt()
    aspect_ratio = SelectField("Aspect ratio", choices=ASPECT_RATIOS, default="1:1")

    def to_request(self) -> ImageRequest:
        return ImageRequest(
            prompt=self.prompt.data, model=self.model.data, aspect_ratio=self.aspect_ratio.data
        )
