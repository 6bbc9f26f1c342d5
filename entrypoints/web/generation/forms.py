"""Forms of the text and image pages; the API stays the judge of models. The model and
prompt fields serve the video forms too."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from entrypoints.web.fields import strip
from entrypoints.web.generation.types import ImageRequestJson, TextRequestJson

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


def model_field() -> StringField:
    return StringField(
        "Model",
        filters=[strip],
        validators=[
            DataRequired("Choose a model."),
            Length(max=MAX_MODEL_ID, message="That model id is too long."),
            Regexp(MODEL_ID, message="Enter a model id such as openai/gpt-4o-mini."),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


def prompt_field() -> TextAreaField:
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
    model = model_field()
    prompt = prompt_field()
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

    def to_request(self) -> TextRequestJson:
        body = TextRequestJson(prompt=self.prompt.data, model=self.model.data)
        if self.system.data:
            body["system"] = self.system.data
        if self.temperature.data is not None:
            body["temperature"] = float(self.temperature.data)
        if self.max_tokens.data is not None:
            body["max_tokens"] = int(self.max_tokens.data)
        return body


class ImageForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = model_field()
    prompt = prompt_field()
    aspect_ratio = SelectField("Aspect ratio", choices=ASPECT_RATIOS, default="1:1")

    def to_request(self) -> ImageRequestJson:
        return ImageRequestJson(
            prompt=self.prompt.data, model=self.model.data, aspect_ratio=self.aspect_ratio.data
        )
