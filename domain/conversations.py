"""Conversations: a user's chat with a model, its messages, its title and what fits the
model's context window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import Error
from domain.generations import MAX_PROMPT_CHARS, Usage

MAX_MESSAGE_CHARS = MAX_PROMPT_CHARS
MAX_SYSTEM_CHARS = MAX_PROMPT_CHARS
AUTO_TITLE_CHARS = 60  # the title taken from the first message
MAX_TITLE_CHARS = 200  # a title the user chose
DEFAULT_TITLE = "New conversation"
ELLIPSIS = "…"
# Per message, on top of its text: the role and the separators a chat template adds.
MESSAGE_OVERHEAD_TOKENS = 4


class InvalidConversationError(Error):
    code = "validation_error"


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """One earlier message as it is sent upstream."""

    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class Message:
    """A user's message, or an answer to one (`reply_to`). An answer records the model that
    served it, its usage and cost, how it ended, and whether a newer answer to the same
    message replaced it (`superseded`)."""

    id: str
    conversation_id: str
    user_id: str
    position: int
    role: Role
    content: str
    created_at: datetime
    status: MessageStatus = MessageStatus.COMPLETED
    model: str | None = None
    usage: Usage = field(default_factory=Usage)
    error_code: str | None = None
    superseded: bool = False
    reply_to: str | None = None
    generation_id: str | None = None

    @property
    def is_context(self) -> bool:
        """Sent upstream with later messages: user messages and current, complete answers."""
        if self.role is Role.USER:
            return True
        return self.status is MessageStatus.COMPLETED and not self.superseded

    def turn(self) -> ChatTurn:
        return ChatTurn(self.role, self.content)


@dataclass(frozen=True, slots=True)
class Conversation:
    """`titled` is set once the user names it; until then the first message names it."""

    id: str
    user_id: str
    title: str
    model: str
    created_at: datetime
    updated_at: datetime
    system: str | None = None
    titled: bool = False
    message_count: int = 0

    def owned_by(self, user_id: str) -> bool:
        return self.user_id == user_id


def title_from(text: str) -> str:
    """The first message, whitespace collapsed, cut at a word boundary to at most
    AUTO_TITLE_CHARS characters (an ellipsis included when cut)."""
    words = text.split()
    whole = " ".join(words)
    if len(whole) <= AUTO_TITLE_CHARS:
        return whole or DEFAULT_TITLE
    room = AUTO_TITLE_CHARS - len(ELLIPSIS)
    kept = ""
    for word in words:
        candidate = f"{kept} {word}" if kept else word
        if len(candidate) > room:
            break
        kept = candidate
    return (kept or whole[:room]) + ELLIPSIS


def check_content(content: str) -> str:
    if not content.strip():
        raise InvalidConversationError("Write a message.")
    if len(content) > MAX_MESSAGE_CHARS:
        raise InvalidConversationError(
            f"The message is longer than {MAX_MESSAGE_CHARS} characters."
        )
    return content


def check_title(title: str) -> str:
    clean = " ".join(title.split())
    if not clean:
        raise InvalidConversationError("Give the conversation a title.")
    if len(clean) > MAX_TITLE_CHARS:
        raise InvalidConversationError(f"The title is longer than {MAX_TITLE_CHARS} characters.")
    return clean


def check_system(system: str | None) -> str | None:
    """A blank system prompt is no system prompt."""
    if system is None or not system.strip():
        return None
    if len(system) > MAX_SYSTEM_CHARS:
        raise InvalidConversationError(
            f"The system prompt is longer than {MAX_SYSTEM_CHARS} characters."
        )
    return system


def estimate_tokens(text: str) -> int:
    """A safe upper bound on the tokens of a message: its UTF-8 bytes (no tokenizer in use,
    byte-level BPE included, makes a token of less than one byte) plus the per-message
    overhead. It overestimates plain English about fourfold: some context is left unused
    rather than ever sending a request the model must refuse."""
    return len(text.encode("utf-8")) + MESSAGE_OVERHEAD_TOKENS


def context_turns(messages: Sequence[Message]) -> list[ChatTurn]:
    """The messages that go upstream as earlier turns, in order."""
    return [message.turn() for message in messages if message.is_context]


@dataclass(frozen=True, slots=True)
class Fitted:
    history: tuple[ChatTurn, ...]
    trimmed: int  # earlier turns left out, oldest first


def fit_context(
    *,
    system: str | None,
    history: Sequence[ChatTurn],
    message: str,
    context_length: int | None,
    max_tokens: int,
    estimate: Callable[[str], int] = estimate_tokens,
) -> Fitted:
    """The newest earlier turns that fit beside the system prompt, the new message and the
    answer's `max_tokens` in `context_length`; the oldest go first. A kept history never
    starts with an answer (its question was trimmed). Unknown context: everything is sent.
    When even the new message does not fit, no history is sent and the model decides."""
    if context_length is None:
        return Fitted(tuple(history), 0)
    room = context_length - max_tokens - estimate(message) - (estimate(system) if system else 0)
    start = len(history)
    while start > 0 and estimate(history[start - 1].content) <= room:
        room -= estimate(history[start - 1].content)
        start -= 1
    while start < len(history) and history[start].role is Role.ASSISTANT and start > 0:
        start += 1
    return Fitted(tuple(history[start:]), start)
