"""Helpers of the chat page tests: a conversation of the signed-in user, and posting to it."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import FakeApi, csrf_token

OWNER = "ada@example.com"  # conftest.sign_in's default user


def conversation(fake: FakeApi, title: str | None = "Lighthouses", **values: Any) -> str:
    return str(fake.chat.add(OWNER, title, **values)["id"])


def post_form(client: FlaskClient, path: str, page: str, **data: str) -> TestResponse:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def send(client: FlaskClient, chat_id: str, content: str, **data: str) -> TestResponse:
    fields = {"model": "openai/gpt-4o-mini", "content": content, **data}
    return post_form(client, f"/chat/{chat_id}/messages", f"/chat/{chat_id}", **fields)


def post_stream(
    client: FlaskClient, chat_id: str, content: str = "Hello", token: str | None = None
) -> TestResponse:
    headers = {"X-CSRFToken": token or csrf_token(client, f"/chat/{chat_id}")}
    form = {"model": "openai/gpt-4o-mini", "content": content}
    return client.post(f"/chat/{chat_id}/stream", data=form, headers=headers)


def events(body: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        found.append((lines["event"], json.loads(lines["data"])))
    return found
