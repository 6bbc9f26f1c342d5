"""Streams cut short, against the real API process and the simulator: a client that hangs up
mid-answer leaves the answer kept, cancelled, with the text the model had sent so far; an
API killed with `kill -9` mid-answer loses no message it acknowledged, and leaves no answer
half-written."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from tests import simulator_fixtures as fx
from tests.integration.conftest import PASSWORD, ApiServer, query
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator = fx.simulator_session, fx.simulator
DELTAS_READ = 3


def signed_in(http: httpx.Client, base: str) -> dict[str, str]:
    body = {"email": "ada@example.com", "password": PASSWORD}
    assert http.post(f"{base}/auth/register", json=body).status_code == 201
    token = http.post(f"{base}/auth/login", json=body).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def read_deltas(response: httpx.Response, count: int) -> str:
    """The text of the first `count` delta events."""
    text, seen = "", 0
    for line in response.iter_lines():
        if line.startswith("data: ") and seen < count:
            text += httpx.Response(200, content=line[6:]).json()["text"]
            seen += 1
        if seen == count:
            return text
    raise AssertionError("the stream ended early")


def answer_of(http: httpx.Client, url: str, headers: dict[str, str]) -> dict[str, Any]:
    """The stored answer, once the API has written it (it does so after the hang-up)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        messages = http.get(url, headers=headers).json()["messages"]
        if len(messages) == 2:
            return dict(messages[1])
        time.sleep(0.1)
    raise AssertionError("no answer was stored")


def test_a_stream_cut_by_the_client_leaves_a_cancelled_answer_with_its_partial_text(
    simulator: SimulatorHandle, start_api: Callable[..., ApiServer]
) -> None:
    simulator.set_scenario(chunk_delay_ms=100)  # 60 words: ~6 s to stream whole
    api = start_api(OPENROUTER_BASE_URL=simulator.base_url, OPENROUTER_API_KEY=simulator.api_key)
    with httpx.Client(timeout=10) as http:
        headers = signed_in(http, api.url)
        chat = http.post(f"{api.url}/conversations", json={}, headers=headers).json()["id"]
        body = {"content": "Tell a long story [[sim:tokens=60]]"}
        url = f"{api.url}/conversations/{chat}/messages/stream"
        with http.stream("POST", url, json=body, headers=headers) as response:
            assert response.status_code == 200
            received = read_deltas(response, DELTAS_READ)
        answer = answer_of(http, f"{api.url}/conversations/{chat}", headers)
    assert (answer["status"], answer["error_code"]) == ("cancelled", "stream_cancelled")
    assert answer["content"].startswith(received) and received
    assert len(answer["content"].split()) < 60  # cut, not finished


def test_kill_9_mid_answer_loses_no_acknowledged_message(
    simulator: SimulatorHandle, start_api: Callable[..., ApiServer]
) -> None:
    simulator.set_scenario(chunk_delay_ms=100)
    api = start_api(OPENROUTER_BASE_URL=simulator.base_url, OPENROUTER_API_KEY=simulator.api_key)
    with httpx.Client(timeout=10) as http:
        headers = signed_in(http, api.url)
        chat = http.post(f"{api.url}/conversations", json={}, headers=headers).json()["id"]
        url = f"{api.url}/conversations/{chat}/messages"
        done = http.post(url, json={"content": "First [[sim:tokens=3]]"}, headers=headers).json()
        body = {"content": "Second [[sim:tokens=60]]"}
        with http.stream("POST", f"{url}/stream", json=body, headers=headers) as response:
            assert response.status_code == 200  # the question is stored: acknowledged
            read_deltas(response, DELTAS_READ)
            api.kill()
    rows = query(
        api.database_path,
        "SELECT id, role, status, content FROM conversation_messages ORDER BY position",
    )
    acknowledged = [done["user_message"], done["assistant_message"]]
    assert [row[0] for row in rows[:2]] == [m["id"] for m in acknowledged]
    assert rows[1][3] == done["assistant_message"]["content"]
    assert [(row[1], row[3]) for row in rows[2:]] == [("user", body["content"])]
    answers = query(api.database_path, "SELECT generation_id FROM conversation_messages")
    generations = query(api.database_path, "SELECT id FROM generations WHERE kind = 'text'")
    assert {a[0] for a in answers if a[0]} == {g[0] for g in generations}
