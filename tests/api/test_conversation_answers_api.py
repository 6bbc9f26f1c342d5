"""Answers in a conversation over the API, against the simulator: each is a text generation
in the history, later turns see the earlier ones, streams frame deltas then both messages,
a regenerated answer keeps the one it replaces, and a failure is stored and returned."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.conversation_fixtures import send, sent, sse_events, start, whole
from tests.api.generation_fixtures import TEXT_MODEL, ada, admin, api, bob  # noqa: F401
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401

MESSAGE_KEYS = {
    "id",
    "position",
    "role",
    "content",
    "status",
    "model",
    "usage",
    "error_code",
    "superseded",
    "reply_to",
    "generation_id",
    "created_at",
}


def test_a_message_is_answered_and_the_answer_is_a_text_generation(
    api: TestClient, ada: Account
) -> None:
    chat = start(api, ada, system="Be brief.")["id"]
    exchange = sent(api, ada, chat, "How do ducks sleep?")
    question, answer = exchange["user_message"], exchange["assistant_message"]
    assert question.keys() == answer.keys() == MESSAGE_KEYS
    assert (question["role"], question["position"], question["content"]) == (
        "user",
        0,
        "How do ducks sleep?",
    )
    assert (answer["role"], answer["status"], answer["reply_to"]) == (
        "assistant",
        "completed",
        question["id"],
    )
    assert answer["content"] and answer["model"].startswith(TEXT_MODEL)
    assert answer["usage"]["total_tokens"] > 0 and answer["usage"]["cost"] > 0
    assert exchange["context_trimmed"] == 0
    [item] = api.get("/generations", params={"kind": "text"}, headers=ada.headers).json()["data"]
    assert (item["id"], item["status"], item["text"]) == (
        answer["generation_id"],
        "succeeded",
        answer["content"],
    )
    assert whole(api, ada, chat)["messages"] == [question, answer]


def test_the_third_answer_depends_on_the_first_turn(
    api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    chat = start(api, ada)["id"]
    sent(api, ada, chat, "Pelicans carry fish")
    sent(api, ada, chat, "Where do they live?")
    third = sent(api, ada, chat, "How long do they live?")["assistant_message"]["content"]
    assert "turns=5 first: Pelicans carry fish" in third
    last = simulator.requests("/chat/completions")[-1]["json"]["messages"]
    assert [m["role"] for m in last] == ["user", "assistant"] * 2 + ["user"]


def test_a_stream_sends_deltas_then_both_messages(api: TestClient, ada: Account) -> None:
    chat = start(api, ada)["id"]
    url = f"/conversations/{chat}/messages/stream"
    with api.stream("POST", url, json={"content": "Tell a story"}, headers=ada.headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        events = sse_events(response.read().decode())
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("delta") >= 2 and set(names) == {"delta", "done"}
    done = events[-1][1]
    assert done.keys() == {"user_message", "assistant_message", "context_trimmed"}
    text = "".join(data["text"] for name, data in events if name == "delta")
    assert done["assistant_message"]["content"] == text
    assert done["user_message"]["content"] == "Tell a story"
    stored = whole(api, ada, chat)["messages"]
    assert [m["id"] for m in stored] == [
        done["user_message"]["id"],
        done["assistant_message"]["id"],
    ]


def test_a_stream_failing_mid_way_ends_with_an_error_and_keeps_the_partial_answer(
    api: TestClient, ada: Account
) -> None:
    chat = start(api, ada)["id"]
    body = {"content": "[[sim:fault=midstream_error]] go"}
    url = f"/conversations/{chat}/messages/stream"
    with api.stream("POST", url, json=body, headers=ada.headers) as response:
        events = sse_events(response.read().decode())
    assert events[-1][0] == "error" and events[-1][1]["code"] == "upstream_unavailable"
    partial = "".join(data["text"] for name, data in events if name == "delta")
    question, answer = whole(api, ada, chat)["messages"]
    assert (answer["status"], answer["error_code"]) == ("failed", "upstream_unavailable")
    assert answer["content"] == partial and answer["reply_to"] == question["id"]


def test_a_refusal_before_the_first_token_is_a_problem_and_a_failed_answer(
    api: TestClient, ada: Account
) -> None:
    chat = start(api, ada)["id"]
    for path in ("messages", "messages/stream"):
        response = api.post(
            f"/conversations/{chat}/{path}",
            json={"content": "[[sim:fault=403]] go"},
            headers=ada.headers,
        )
        assert_problem(response, 422, "upstream_rejected")
    messages = whole(api, ada, chat)["messages"]
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "completed"),
        ("assistant", "failed"),
    ] * 2
    assert {m["error_code"] for m in messages[1::2]} == {"upstream_rejected"}
    history = api.get("/generations", headers=ada.headers).json()["data"]
    assert [g["status"] for g in history] == ["failed", "failed"]


def test_regenerate_keeps_the_superseded_answer(api: TestClient, ada: Account) -> None:
    chat = start(api, ada)["id"]
    first = sent(api, ada, chat, "Name a bird")
    url = f"/conversations/{chat}/regenerate"
    response = api.post(
        url, json={"model": "openai/gpt-4o-mini", "temperature": 1.5}, headers=ada.headers
    )
    assert response.status_code == 200, response.text
    again = response.json()
    assert again["user_message"] == first["user_message"]
    assert again["assistant_message"]["reply_to"] == first["user_message"]["id"]
    assert again["assistant_message"]["model"].startswith("openai/gpt-4o-mini")
    question, old, new = whole(api, ada, chat)["messages"]
    assert (old["id"], old["superseded"]) == (first["assistant_message"]["id"], True)
    assert (new["id"], new["superseded"]) == (again["assistant_message"]["id"], False)
    assert question["superseded"] is False
    assert len(api.get("/generations", headers=ada.headers).json()["data"]) == 2


def test_a_message_to_a_missing_conversation_is_404(api: TestClient, ada: Account) -> None:
    assert_problem(send(api, ada, "no-such-chat", "hello"), 404, "not_found")
