"""The text page: model picker, the no-JS round trip, and the unbuffered stream proxy."""

from __future__ import annotations

import json
import threading
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import FakeApi, csrf_token, problem
from tests.web.fake_generation import Streamed, sse


def post_text(client: FlaskClient, **data: str) -> TestResponse:
    token = csrf_token(client, "/text")
    return client.post("/text", data={"model": "openai/gpt-4o-mini", **data, "csrf_token": token})


def post_stream(
    client: FlaskClient, token: str | None = None, buffered: bool = True, **data: str
) -> TestResponse:
    headers = {"X-CSRFToken": token or csrf_token(client, "/text")}
    form = {"model": "openai/gpt-4o-mini", "prompt": "Say hello", **data}
    return client.post("/text/stream", data=form, headers=headers, buffered=buffered)


def events(body: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_the_model_picker_lists_the_apis_text_models(signed_in: FlaskClient) -> None:
    page = signed_in.get("/text").text

    assert '<select id="model" name="model">' in page
    assert '<option value="openai/gpt-4o-mini" selected>' in page
    assert "OpenAI: GPT-4o-mini · $0.15/$0.6 per M tokens" in page
    assert "MiniMax: M2 (free) · free" in page
    assert 'data-stream-url="/text/stream"' in page


def test_without_a_model_list_a_model_id_can_be_typed(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.forced["/models"] = problem(503, "provider_not_configured")

    page = signed_in.get("/text").text

    assert '<input aria-describedby="model-hint" autocomplete="off" id="model"' in page
    assert "No AI provider is configured on this server." in page
    assert "<code>openai/gpt-4o-mini</code>" in page


def test_without_javascript_the_answer_comes_back_rendered(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = post_text(signed_in, prompt="Greet me", system="Be brief", temperature="0.7")

    assert response.status_code == 200
    assert "<p>Hello <strong>world</strong>, this is the answer.</p>" in response.text
    assert "openai/gpt-4o-mini-2024-07-18" in response.text  # the served model
    assert "12 prompt + 30 completion = 42 tokens · $0.00042" in response.text
    assert "\nGreet me</textarea>" in response.text
    assert fake_api.gen.bodies == [
        {
            "prompt": "Greet me",
            "model": "openai/gpt-4o-mini",
            "system": "Be brief",
            "temperature": 0.7,
        }
    ]


def test_form_errors_stay_on_the_page_and_never_reach_the_api(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = post_text(signed_in, prompt="", model="not a model", temperature="7")

    assert response.status_code == 400
    assert "Enter a prompt." in response.text
    assert "Enter a model id such as openai/gpt-4o-mini." in response.text
    assert "Use a temperature from 0 to 2." in response.text
    assert fake_api.gen.bodies == []


def test_the_stream_proxy_passes_each_delta_on_before_the_api_is_done(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    gate = threading.Event()
    first, rest = sse("delta", {"text": "Hello"}), [sse("delta", {"text": " there"})]
    done = {"id": "g1", "model": "m/served", "text": "Hello there", "usage": {}}
    stream = Streamed([first, *rest, sse("done", done)], gate=gate)
    fake_api.gen.stream = stream

    response = post_stream(signed_in, buffered=False)
    chunks = iter(response.response)
    received = next(chunks)  # the stand-in is now holding the rest back until the gate opens
    gate.set()
    remainder = b"".join(chunks)

    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert response.headers["X-Accel-Buffering"] == "no"
    assert received == b'event: delta\ndata: {"text":"Hello"}\n\n'
    assert not stream.waited_out, "the proxy held the first delta back: it buffers"
    assert b'"text":" there"' in remainder


def test_the_done_event_brings_the_rendered_answer_and_usage(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    found = events(post_stream(signed_in).text)

    names = [name for name, _ in found]
    assert names == ["delta"] * 6 + ["done"]
    assert "".join(data["text"] for name, data in found if name == "delta") == fake_api.gen.answer
    done = found[-1][1]
    assert done["rendered_html"] == "<p>Hello <strong>world</strong>, this is the answer.</p>\n"
    assert done["usage_text"] == "12 prompt + 30 completion = 42 tokens · $0.00042"
    assert done["model"] == "openai/gpt-4o-mini-2024-07-18"


def test_the_stream_route_needs_the_csrf_token(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    calls_before = list(fake_api.calls)

    missing = signed_in.post("/text/stream", data={"model": "a/b", "prompt": "Hi"})
    forged = post_stream(signed_in, token="forged")

    for response in (missing, forged):
        assert response.status_code == 400
        assert response.json == {
            "code": "csrf_failed",
            "message": "Your form expired, please try again.",
            "errors": {},
        }
    assert fake_api.calls == calls_before  # nothing reached the API


def test_an_expired_access_token_is_refreshed_before_the_stream_starts(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    token = csrf_token(signed_in, "/text")
    fake_api.expire_access_tokens()
    fake_api.calls.clear()

    response = post_stream(signed_in, token=token)

    assert [name for name, _ in events(response.text)][-1] == "done"
    assert fake_api.calls == [
        "POST /generate/text/stream",
        "POST /auth/refresh",
        "POST /generate/text/stream",
    ]


def test_a_signed_out_stream_request_is_told_where_to_sign_in(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    token = csrf_token(signed_in, "/text")
    fake_api.expire_access_tokens()
    fake_api.expire_refresh_tokens()

    response = post_stream(signed_in, token=token)

    assert response.status_code == 401
    assert response.json is not None
    assert response.json["redirect"] == "/login?next=/text"
    assert "Your session has expired" in signed_in.get("/login").text


def test_invalid_stream_input_is_answered_as_json(signed_in: FlaskClient) -> None:
    response = post_stream(signed_in, prompt="")

    assert response.status_code == 400
    assert response.json is not None
    assert response.json["errors"] == {"prompt": ["Enter a prompt."]}
    assert response.json["message"] == "Enter a prompt."


def test_an_error_mid_stream_arrives_as_an_error_event_with_a_message(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    failure = {"status": 502, "code": "upstream_unavailable", "reason": "provider_down"}
    fake_api.gen.stream = Streamed([sse("delta", {"text": "Half"}), sse("error", failure)])

    found = events(post_stream(signed_in).text)

    assert found[-1][0] == "error"
    assert found[-1][1]["message"].startswith("The AI provider is having trouble right now.")


def test_a_stream_that_stops_without_done_ends_with_an_error_event(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.stream = Streamed([sse("delta", {"text": "Half"})])

    found = events(post_stream(signed_in).text)

    assert found[-1] == (
        "error",
        {
            "code": "stream_unfinished",
            "message": "The answer stopped before it was complete. Try again.",
        },
    )
