"""Forms of the chat page; the API stays the judge of models and limits."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from entrypoints.web.chat.types import (
    ConversationRequestJson,
    MessageRequestJson,
    RegenerateRequestJson,
)
from entrypoints.web.fields import strip
from entrypoints.web.generation.forms import MAX_PROMPT, model_field

MAX_TITLE = 200


def title_field(*, required: bool) -> StringField:
    presence = DataRequired("Enter a title.") if required else Optional()
    return StringField(
        "Title",
        filters=[strip],
        validators=[
            presence,
            Length(max=MAX_TITLE, message=f"Keep the title under {MAX_TITLE} characters."),
        ],
        render_kw={"autocomplete": "off", "maxlength": str(MAX_TITLE)},
    )


class NewChatForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    title = title_field(required=False)

    def to_request(self) -> ConversationRequestJson:
        return ConversationRequestJson(title=self.title.data) if self.title.data else {}


class RenameForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    title = title_field(required=True)

    def to_request(self) -> ConversationRequestJson:
        return ConversationRequestJson(title=self.title.data)


class MessageForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = model_field()
    # Not trimmed: what was typed is what the model gets.
    content = TextAreaField(
        "Message",
        validators=[
            DataRequired("Write a message."),
            Length(max=MAX_PROMPT, message=f"Keep the message under {MAX_PROMPT:,} characters."),
        ],
        render_kw={"rows": 3, "placeholder": "Enter sends, Shift+Enter starts a new line"},
    )

    def to_request(self) -> MessageRequestJson:
        return MessageRequestJson(content=self.content.data, model=self.model.data)


class RegenerateForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no types
    model = model_field()

    def to_request(self) -> RegenerateRequestJson:
        return RegenerateRequestJson(model=self.model.data)
