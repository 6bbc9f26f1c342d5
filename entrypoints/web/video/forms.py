"""Forms of the video pages. The option selects are filled from the chosen model's
capabilities (video/models.py); the API stays the judge of which values a model takes
and answers 422 naming the allowed ones, so the web checks only their shape."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from entrypoints.web.fields import strip
from entrypoints.web.generation.forms import model_field, prompt_field
from entrypoints.web.video.types import VideoRequestJson

MAX_SEED = 2**32 - 1
MAX_URL = 2048  # the API's rule for image URLs
DEFAULT_CHOICE = SelectChoice("", "Model default")
NOT_OFFERED = "not offered by this model"
Choices = list[tuple[str, str]]


def _option(label: str, shape: str, message: str) -> SelectField:
    # validate_choice=False: without JavaScript the selects may still show another model's
    # values; the API answers those with a 422 that names the allowed ones.
    return SelectField(
        label,
        choices=[DEFAULT_CHOICE],
        validate_choice=False,
        validators=[Optional(), Regexp(shape, message=message)],
    )


class VideoForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = model_field()
    prompt = prompt_field()
    duration = _option("Duration", r"^[0-9]{1,3}$", "Choose a duration.")
    resolution = _option("Resolution", r"^[0-9A-Za-z]{1,8}$", "Choose a resolution.")
    aspect_ratio = _option("Aspect ratio", r"^[0-9]{1,2}:[0-9]{1,2}$", "Choose an aspect ratio.")
    generate_audio = BooleanField("Generate audio", default=True)
    seed = IntegerField(
        "Seed",
        validators=[Optional(), NumberRange(0, MAX_SEED, f"Use a seed from 0 to {MAX_SEED}.")],
        render_kw={"type": "number", "min": "0", "max": str(MAX_SEED), "inputmode": "numeric"},
    )

    def offer(self, name: str, choices: Choices) -> None:
        """Offer `choices` in the select `name`, keeping a value sent for another model."""
        field: SelectField = self[name]
        offered = [DEFAULT_CHOICE, *(SelectChoice(value, label) for value, label in choices)]
        if field.data and field.data not in {value for value, _label in choices}:
            offered.append(SelectChoice(field.data, f"{field.data} ({NOT_OFFERED})"))
        field.choices = offered

    def to_request(self, *, audio: bool, seed: bool) -> VideoRequestJson:
        """`audio` and `seed`: whether the chosen model takes them (else they are left out)."""
        body = VideoRequestJson(prompt=self.prompt.data, model=self.model.data)
        if self.duration.data:
            body["duration"] = int(self.duration.data)
        if self.resolution.data:
            body["resolution"] = self.resolution.data
        if self.aspect_ratio.data:
            body["aspect_ratio"] = self.aspect_ratio.data
        if audio:
            body["generate_audio"] = bool(self.generate_audio.data)
        if seed and self.seed.data is not None:
            body["seed"] = int(self.seed.data)
        return body


class VideoFromImageForm(VideoForm):
    """The first frame: an uploaded file, or the URL of a public https image."""

    image = FileField(
        "Image file", render_kw={"accept": "image/png,image/jpeg,image/webp", "class": "file"}
    )
    image_url = StringField(
        "Image URL",
        filters=[strip],
        validators=[Optional(), Length(max=MAX_URL, message="That URL is too long.")],
        render_kw={
            "type": "url",
            "inputmode": "url",
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "https://example.com/picture.png",
        },
    )

    def validate_image(self, field: Field) -> None:  # WTForms calls validate_<field>
        if not field.data and not self.image_url.data:
            raise ValidationError("Choose an image file, or give the URL of an image.")
        if field.data and self.image_url.data:
            raise ValidationError("Choose a file or give a URL, not both.")

    def to_request(self, *, audio: bool, seed: bool) -> VideoRequestJson:
        body = super().to_request(audio=audio, seed=seed)
        if self.image_url.data and not self.image.data:
            body["image_url"] = self.image_url.data
        return body
