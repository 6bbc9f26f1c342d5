"""The chat page's stream proxy: /chat/<id>/stream relays the API's conversation stream."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.chat_pages import conversation, events, post_stream
from tests.web.conftest import FakeApi, csrf_token, problem
from tests.web.fake_generation import Streamed, sse


def test_the_answer_streams_in_and_done_brings_it_rendered(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)

    response = post_stream(signed_in, chat, "Hello there")
    found = events(response.text)

    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert [name for name, _ in found][-1] == "done"
    streamed = "".join(data["text"] for name, data in found if name == "delta")
    assert streamed == "Reply to: Hello there turns=1 first: Hello there **bold**"
    done = found[-1][1]
    assert done["rendered_html"].endswith("<strong>bold</strong></p>\n")
    assert done["usage_text"] == "12 prompt + 30 completion = 42 tokens · $0.00042"
    assert done["model"] == "openai/gpt-4o-mini"
    assert done["assistant_message"]["status"] == "completed"
    assert f"POST /conversations/{chat}/messages/stream" in fake_api.calls


def test_hostile_text_in_the_done_event_is_sanitised(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    answer = {"content": "<img src=x onerror=alert(1)> [x](javascript:alert(2))", "usage": None}
    sent = {"user_message": {}, "assistant_message": answer, "context_trimmed": False}
    fake_api.chat.stream = Streamed([sse("done", sent)])

    done = events(post_stream(signed_in, chat).text)[-1][1]

    assert "<img" not in done["rendered_html"]
    assert "&lt;img" in done["rendered_html"]
    assert "href" not in done["rendered_html"]


def test_the_stream_route_needs_the_csrf_token(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)

    response = post_stream(signed_in, chat, token="forged")

    assert response.status_code == 400
    assert response.json is not None
    assert response.json["code"] == "csrf_failed"
    assert fake_api.chat.bodies == []


def test_a_refusal_before_the_stream_is_answered_as_json(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    fake_api.forced[f"/conversations/{chat}/messages/stream"] = problem(402, "budget_exceeded")

    response = post_stream(signed_in, chat)

    assert response.status_code == 402
    assert response.json is not None
    assert response.json["message"].startswith("You have reached your spending limit.")


def test_an_empty_message_is_answered_as_json(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)

    response = post_stream(signed_in, chat, content="")

    assert response.status_code == 400
    assert response.json is not None
    assert response.json["message"] == "Write a message."


def test_a_signed_out_stream_request_is_told_where_to_sign_in(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    token = csrf_token(signed_in, f"/chat/{chat}")
    fake_api.expire_access_tokens()
    fake_api.expire_refresh_tokens()

    response = post_stream(signed_in, chat, token=token)

    assert response.status_code == 401
    assert response.json is not None
    assert response.json["redirect"] == f"/login?next=/chat/{chat}"


def test_an_error_mid_stream_arrives_as_an_error_event(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    failure = {"status": 502, "code": "upstream_unavailable", "reason": "provider_down"}
    fake_api.chat.stream = Streamed([sse("delta", {"text": "Half"}), sse("error", failure)])

    found = events(post_stream(signed_in, chat).text)

    assert found[-1][0] == "error"
    assert found[-1][1]["message"].startswith("The AI provider is having trouble right now.")
