"""Deterministic reply text and token accounting: one token per whitespace-separated word."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from simulator.catalogue import ModelSpec, cost_of
from simulator.faults import markers, strip_markers

_LOREM = (
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "ut",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
)
_ECHO_WORDS = 6
MESSAGE_OVERHEAD_TOKENS = 3


def part_text(content: Any) -> str:
    """The text of a message `content`: a string, or an array of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text", "") for p in content if isinstance(p, dict) and "text" in p]
        return " ".join(str(text) for text in texts)
    return ""


def messages_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    return "\n".join(part_text(m.get("content")) for m in messages if isinstance(m, dict))


def last_user_text(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return part_text(message.get("content"))
    return messages_text(messages)


def prompt_tokens(messages: list[Any]) -> int:
    return sum(
        len(part_text(m.get("content")).split()) + MESSAGE_OVERHEAD_TOKENS
        for m in messages
        if isinstance(m, dict)
    )


def reply_words(prompt: str, limit: int) -> tuple[list[str], bool]:
    """(words, truncated): the prompt's first words echoed, then lorem words from its hash.

    A `[[sim:tokens=N]]` marker sets the natural length; otherwise it is 16-47 words.
    `limit` (max_tokens) cuts it short, and then the finish reason is `length`.
    """
    digest = hashlib.sha256(prompt.encode()).digest()
    wanted = markers(prompt).get("tokens")
    natural = int(wanted) if wanted and wanted.isdigit() else 16 + digest[0] % 32
    echo = strip_markers(prompt).split()[:_ECHO_WORDS]
    words = ["Simulated", "reply", "to:", *echo]
    index = 0
    while len(words) < natural:
        words.append(_LOREM[(digest[index % len(digest)] + index) % len(_LOREM)])
        index += 1
    words = words[:natural]
    return words[: max(limit, 0)], natural > limit


def conversation_turns(messages: list[Any]) -> list[dict[str, Any]]:
    """The user and assistant messages (the system prompt is not a turn)."""
    roles = ("user", "assistant")
    return [m for m in messages if isinstance(m, dict) and m.get("role") in roles]


def reply_for(messages: list[Any], limit: int) -> tuple[list[str], bool]:
    """One turn: `reply_words` of all the text. Several (a conversation): a reply a test can
    check, `Simulated reply to: <last user words> turns=N first: <first user words>`, then
    the lorem words of the last user message."""
    turns = conversation_turns(messages)
    if len(turns) <= 1:
        return reply_words(messages_text(messages), limit)
    users = [m for m in turns if m.get("role") == "user"]
    first = part_text(users[0].get("content")) if users else ""
    last = last_user_text(messages)
    words, _ = reply_words(last, 1 << 30)
    echoed = 3 + len(strip_markers(last).split()[:_ECHO_WORDS])
    marker = [f"turns={len(turns)}", "first:", *strip_markers(first).split()[:_ECHO_WORDS]]
    words = [*words[:echoed], *marker, *words[echoed:]]
    return words[: max(limit, 0)], len(words) > limit


def join_words(words: list[str]) -> str:
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    image_tokens: int
    prompt_cost: float
    completion_cost: float

    @property
    def cost(self) -> float:
        return round(self.prompt_cost + self.completion_cost, 10)

    def as_dict(self) -> dict[str, Any]:
        """The 2026 usage block (chat-nonstream-rubyllm-haiku45-basic.json)."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cost": self.cost,
            "is_byok": False,
            "prompt_tokens_details": {
                "cached_tokens": 0,
                "cache_write_tokens": 0,
                "audio_tokens": 0,
                "video_tokens": 0,
            },
            "cost_details": {
                "upstream_inference_cost": self.cost,
                "upstream_inference_prompt_cost": self.prompt_cost,
                "upstream_inference_completions_cost": self.completion_cost,
            },
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "image_tokens": self.image_tokens,
                "audio_tokens": 0,
            },
        }


def usage_for(spec: ModelSpec, prompt: int, completion: int, images: int = 0) -> Usage:
    prompt_cost, completion_cost = cost_of(spec, prompt, completion, images)
    return Usage(prompt, completion, images, prompt_cost, completion_cost)
