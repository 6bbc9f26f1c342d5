"""Helpers for the conversation API tests: start a conversation, send, read SSE."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import TEXT_MODEL


def start(api: TestClient, who: Account, **fields: Any) -> dict[str, Any]:
    response = api.post("/conversations", json={"model": TEXT_MODEL, **fields}, headers=who.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def send(api: TestClient, who: Account, chat: str, content: str, **extra: Any) -> Any:
    body = {"content": content, **extra}
    return api.post(f"/conversations/{chat}/messages", json=body, headers=who.headers)


def sent(api: TestClient, who: Account, chat: str, content: str) -> dict[str, Any]:
    response = send(api, who, chat, content)
    assert response.status_code == 200, response.text
    return dict(response.json())


def whole(api: TestClient, who: Account, chat: str) -> dict[str, Any]:
    response = api.get(f"/conversations/{chat}", headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def sse_events(raw: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events
