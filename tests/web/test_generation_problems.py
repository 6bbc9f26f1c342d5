"""Every upstream problem becomes a clear message next to the form, and the prompt stays."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest
from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import FakeApi, csrf_token, make_settings, problem
from tests.web.fake_generation import Answer
from tests.web.planted import plant_session

PROMPT = 'A "tricky" <prompt> & more'
CASES: list[tuple[Answer, str]] = [
    (
        problem(503, "provider_not_configured"),
        "No AI provider is configured on this server. Ask an admin to set OPENROUTER_API_KEY.",
    ),
    (
        problem(422, "upstream_rejected"),
        "The AI provider refused this request under its content policy.",
    ),
    (
        problem(502, "upstream_unavailable", reason="out_of_credits"),
        "The platform's OpenRouter account is out of credits.",
    ),
    (
        problem(503, "upstream_unavailable", reason="rate_limited", retry_after=17),
        "The AI provider is busy right now. Try again in 17 seconds.",
    ),
    (
        problem(502, "upstream_unavailable", reason="provider_down"),
        "The AI provider is having trouble right now.",
    ),
    (
        problem(502, "upstream_unavailable", reason="bad_response"),
        "The AI provider sent back an answer that could not be read.",
    ),
    (
        problem(502, "upstream_unavailable", reason="bad_request"),
        "The AI provider did not accept this request.",
    ),
    (problem(504, "upstream_timeout"), "The AI provider took too long to answer."),
]
IDS = [f"{answer[1]['code']}-{answer[1].get('reason', '')}".rstrip("-") for answer, _ in CASES]


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]* id="{name}"[^>]*>\r?\n(.*?)</textarea>', page, re.S)
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1))


def form_error(page: str) -> str:
    start = page.index('data-testid="form-error">') + len('data-testid="form-error">')
    return html.unescape(page[start : page.index("</div>", start)])


@pytest.mark.parametrize(("answer", "message"), CASES, ids=IDS)
def test_the_text_page_explains_the_problem_and_keeps_the_prompt(
    signed_in: FlaskClient, fake_api: FakeApi, answer: Answer, message: str
) -> None:
    token = csrf_token(signed_in, "/text")
    fake_api.forced["/generate/text"] = answer
    data = {
        "model": "openai/gpt-4o-mini",
        "prompt": PROMPT,
        "system": "Be kind",
        "temperature": "1.2",
        "csrf_token": token,
    }

    response = signed_in.post("/text", data=data)

    assert response.status_code == answer[0]
    assert form_error(response.text).startswith(message)
    assert textarea(response.text, "prompt") == PROMPT
    assert textarea(response.text, "system") == "Be kind"
    assert 'value="1.2"' in response.text
    assert '<details class="options" open>' in response.text


@pytest.mark.parametrize(("answer", "message"), CASES, ids=IDS)
def test_the_stream_route_answers_the_problem_as_json(
    signed_in: FlaskClient, fake_api: FakeApi, answer: Answer, message: str
) -> None:
    token = csrf_token(signed_in, "/text")
    fake_api.forced["/generate/text/stream"] = answer

    response = signed_in.post(
        "/text/stream",
        data={"model": "openai/gpt-4o-mini", "prompt": PROMPT},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == answer[0]
    assert response.json is not None
    assert response.json["code"] == answer[1]["code"]
    assert response.json["message"].startswith(message)


@pytest.mark.parametrize(("answer", "message"), CASES, ids=IDS)
def test_the_image_page_explains_the_problem_and_keeps_the_prompt(
    signed_in: FlaskClient, fake_api: FakeApi, answer: Answer, message: str
) -> None:
    token = csrf_token(signed_in, "/images")
    fake_api.forced["/generate/image"] = answer
    data = {
        "model": "google/gemini-2.5-flash-image",
        "prompt": PROMPT,
        "aspect_ratio": "16:9",
        "csrf_token": token,
    }

    response = signed_in.post("/images", data=data)

    assert response.status_code == answer[0]
    assert form_error(response.text).startswith(message)
    assert textarea(response.text, "prompt") == PROMPT
    assert '<option selected value="16:9">' in response.text


def test_api_validation_errors_land_on_their_fields(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    errors = [{"loc": ["body", "prompt"], "msg": "String should have at most 32000 characters"}]
    fake_api.forced["/generate/text"] = problem(422, "validation_error", errors=errors)
    data = {
        "model": "openai/gpt-4o-mini",
        "prompt": PROMPT,
        "csrf_token": csrf_token(signed_in, "/text"),
    }

    response = signed_in.post("/text", data=data)

    assert response.status_code == 422
    assert form_error(response.text) == "Please correct the highlighted fields."
    assert 'id="prompt-error">String should have at most 32000 characters<' in response.text


def test_an_unreachable_api_keeps_the_prompt(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    api = ApiClient("http://api.invalid", transport=httpx.MockTransport(refuse))
    client = create_app(make_settings(tmp_path), api).test_client()
    plant_session(client, "at", "rt", "ada@example.com")
    data = {
        "model": "openai/gpt-4o-mini",
        "prompt": PROMPT,
        "csrf_token": csrf_token(client, "/text"),
    }

    page = client.get("/text").text
    response = client.post("/text", data=data)

    assert "The service is temporarily unavailable." in page  # no model list either
    assert response.status_code == 503
    assert form_error(response.text).startswith("The service is temporarily unavailable.")
    assert textarea(response.text, "prompt") == PROMPT
