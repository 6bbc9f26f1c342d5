"""Server-sent events from OpenRouter: framing, then the chat chunks folded into one answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from adapters.openrouter.errors import bad_response, body_error, content_filtered, error_object
from adapters.openrouter.payloads import checked_text, served_of, text_or_none, usage_of
from application.ports.generation import TextResult
from domain.generations import Usage

DONE = "[DONE]"


class SSEDecoder:
    """Bytes as they arrive in, complete `data` payloads out. Lines are cut at LF (CRLF
    tolerated) and decoded only when whole, so a payload or a UTF-8 character split across
    reads is reassembled; `:` comment lines are keep-alives and are skipped (§2, §8.1).
    One line may be megabytes (a streamed image), so the cap is generous, not 64 KB. As the
    SSE standard says, an event cut off by the end of the stream is never dispatched."""

    def __init__(self, max_line_bytes: int) -> None:
        self._buffer = bytearray()
        self._scanned = 0
        self._data: list[str] = []
        self._max = max_line_bytes

    def feed(self, chunk: bytes) -> list[str]:
        self._buffer += chunk
        events: list[str] = []
        while (end := self._buffer.find(b"\n", self._scanned)) >= 0:
            line = bytes(self._buffer[:end]).rstrip(b"\r")
            del self._buffer[: end + 1]
            self._scanned = 0
            events.extend(self._line(line))
        self._scanned = len(self._buffer)
        if self._scanned > self._max:
            raise bad_response("OpenRouter sent a stream line larger than this server accepts.")
        return events

    def _line(self, raw: bytes) -> list[str]:
        if not raw:
            return self._dispatch()
        line = raw.decode("utf-8", errors="replace")
        if line.startswith(":"):
            return []
        name, _, value = line.partition(":")
        if name == "data":
            self._data.append(value.removeprefix(" "))
        return []

    def _dispatch(self) -> list[str]:
        data, self._data = "\n".join(self._data), []
        return [data] if data else []


@dataclass(slots=True)
class StreamState:
    """The answer so far: text, finish reason, who served it, and usage once it comes."""

    requested_model: str
    secret: str = ""
    parts: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None
    head: dict[str, str] = field(default_factory=dict)
    done: bool = False

    def take(self, data: str) -> str:
        """Apply one payload; returns its new text ("" if none). An error chunk raises the
        mapped error even though the status was 200: a top-level `error` (its `finish_reason`
        may be null, as recorded) or a choice that finished with "error" (§2, §8.1)."""
        if data.strip() == DONE:
            self.done = True
            return ""
        chunk = _chunk(data)
        choices = [c for c in chunk.get("choices") or () if isinstance(c, dict)]
        failed = next((c for c in choices if c.get("finish_reason") == "error"), None)
        if error_object(chunk) or failed is not None:
            raise body_error(error_object(chunk) or (failed or {}).get("error"), secret=self.secret)
        for key in ("model", "provider", "id"):
            if self.head.get(key) is None and isinstance(chunk.get(key), str):
                self.head[key] = chunk[key]
        if isinstance(chunk.get("usage"), dict):
            self.usage = usage_of(chunk["usage"])
        return "".join(self._choice(choice) for choice in choices)

    def _choice(self, choice: dict[str, Any]) -> str:
        self.finish_reason = text_or_none(choice.get("finish_reason")) or self.finish_reason
        if self.finish_reason == "content_filter":
            raise content_filtered()
        delta = choice.get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            self.parts.append(content)
            return content
        return ""

    def result(self) -> TextResult:
        """The final answer. A stream that ended without `[DONE]` still counts if it brought
        text or usage (zeros when usage never came); one with neither was cut off."""
        if not self.done and not self.parts and self.usage is None:
            raise bad_response("The stream ended before the model answered.")
        text = checked_text("".join(self.parts), self.finish_reason)
        served = served_of(self.head, self.requested_model, self.usage or Usage())
        return TextResult(text, self.finish_reason, served)


def _chunk(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError:
        chunk = None
    if not isinstance(chunk, dict):
        raise bad_response("OpenRouter sent a stream event that is not valid JSON.")
    return chunk
