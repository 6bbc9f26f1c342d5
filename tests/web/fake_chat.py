"""The conversation routes of the API stand-in (see conftest.FakeApi), per the contract."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.web.fake_generation import USAGE, Answer, Streamed, sse

CHAT_PATHS = ("/conversations",)


def _problem(status: int, code: str, detail: str = "") -> Answer:
    body = {"type": f"/problems/{code}", "title": code, "status": status, "detail": detail}
    return status, {**body, "code": code}, {}


@dataclass
class FakeChats:
    """Conversations in memory, each owned by an email; answers echo what they were sent."""

    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    stream: Streamed | None = None  # the next stream's body, if a test wants its own
    fail_next: Answer | None = None  # the next answer fails like this, and is stored failed
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, owner: str, title: str | None = None, **values: Any) -> dict[str, Any]:
        number = next(self.ids)
        item = {
            "id": f"c{number}",
            "title": title,
            "system": None,
            "model": None,
            "created_at": f"2025-01-01T10:{number % 60:02d}:00Z",
            "updated_at": f"2025-01-01T10:{number % 60:02d}:00Z",
            "message_count": 0,
            "messages": [],
            **values,
        }
        self.items[item["id"]] = item
        self.owners[item["id"]] = owner
        return item

    def handle(
        self, caller: str, method: str, path: str, query: dict[str, str], body: Any
    ) -> Answer | None:
        parts = path.strip("/").split("/")
        if len(parts) == 1:
            if method == "GET":
                return self._list(caller, query)
            return (201, _summary(self.add(caller, **body)), {}) if method == "POST" else None
        item = self.items.get(parts[1])
        if item is None or self.owners[parts[1]] != caller:
            return _problem(404, "not_found", "Not found.")
        if method != "POST":
            return self._one(method, item, body) if len(parts) == 2 else None
        self.bodies.append(body)
        if parts[2:] == ["messages"]:
            return self._send(item, body)
        if parts[2:] == ["messages", "stream"]:
            return self._stream(item, body)
        return self._regenerate(item, body) if parts[2:] == ["regenerate"] else None

    def _list(self, caller: str, query: dict[str, str]) -> Answer:
        wanted = query.get("q", "").lower()
        mine = [i for i in self.items.values() if self.owners[i["id"]] == caller]
        found = [i for i in mine if not wanted or wanted in _words(i).lower()]
        found.sort(key=lambda i: str(i["updated_at"]), reverse=True)
        return 200, {"data": [_summary(i) for i in found], "next_cursor": None}, {}

    def _one(self, method: str, item: dict[str, Any], body: Any) -> Answer | None:
        if method == "GET":
            return 200, item, {}
        if method == "PATCH":
            item.update(body)
            return 200, _summary(item), {}
        if method == "DELETE":
            del self.items[item["id"]]
            return 204, None, {}
        return None

    def _send(self, item: dict[str, Any], body: dict[str, Any]) -> Answer:
        user = self._message(item, "user", body["content"], None)
        failed = self.fail_next
        self.fail_next = None
        status = "failed" if failed else "completed"
        answer = self._message(item, "assistant", "" if failed else self.reply(item), body, status)
        if failed:
            answer["error_code"] = failed[1]["code"]
            return failed
        return (
            200,
            {"user_message": user, "assistant_message": answer, "context_trimmed": False},
            {},
        )

    def _stream(self, item: dict[str, Any], body: dict[str, Any]) -> Answer:
        status, sent, _ = self._send(item, body)
        if status != 200:
            return status, sent, {}
        stream, self.stream = self.stream, None
        if stream is None:
            words = sent["assistant_message"]["content"].split(" ")
            deltas = [sse("delta", {"text": (" " if i else "") + w}) for i, w in enumerate(words)]
            stream = Streamed([*deltas, sse("done", sent)])
        return 200, stream, {"Content-Type": "text/event-stream"}

    def _regenerate(self, item: dict[str, Any], body: dict[str, Any]) -> Answer:
        last = item["messages"][-1]
        last["superseded"] = True
        answer = self._message(item, "assistant", "Regenerated " + self.reply(item), body)
        answer["reply_to"] = last["reply_to"]
        user = next(m for m in item["messages"] if m["id"] == last["reply_to"])
        return (
            200,
            {"user_message": user, "assistant_message": answer, "context_trimmed": False},
            {},
        )

    def reply(self, item: dict[str, Any]) -> str:
        users = [m["content"] for m in item["messages"] if m["role"] == "user"]
        return f"Reply to: {users[-1]} turns={len(users)} first: {users[0]} **bold**"

    def _message(
        self, item: dict[str, Any], role: str, content: str, body: Any, status: str = "completed"
    ) -> dict[str, Any]:
        number = next(self.ids)
        users = [m for m in item["messages"] if m["role"] == "user"]
        message = {
            "id": f"m{number}",
            "position": len(item["messages"]),
            "role": role,
            "content": content,
            "status": status,
            "model": (body or {}).get("model") if role == "assistant" else None,
            "usage": USAGE if role == "assistant" and status == "completed" else None,
            "error_code": None,
            "superseded": False,
            "reply_to": users[-1]["id"] if role == "assistant" and users else None,
            "generation_id": f"g{number}" if role == "assistant" else None,
            "created_at": f"2025-01-02T10:{number % 60:02d}:00Z",
        }
        item["messages"].append(message)
        item["message_count"] = len(item["messages"])
        item["updated_at"] = message["created_at"]
        return message


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name != "messages"}


def _words(item: dict[str, Any]) -> str:
    return " ".join([item["title"] or "", *(m["content"] for m in item["messages"])])
