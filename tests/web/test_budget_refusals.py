"""A generation the API refuses for the budget (402), an unknown price (422) or its own
rate limit (429) is explained next to the form, on every page and on the text stream."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token, problem
from tests.web.fake_budget import over_budget
from tests.web.fake_generation import Streamed, sse
from tests.web.fake_video import VIDEO_MODELS
from tests.web.test_generation_problems import form_error, textarea
from tests.web.video_pages import form_data

ME = "ada@example.com"
OVER = (
    "This could cost up to {cost}, but only $0.01 of your $5.00 monthly budget is left; "
    "it resets on 1 January 2099."
)
PRICE_UNKNOWN = "The price of this model is not known, so it cannot be used within your budget."
TOO_QUICK = "You are sending requests too quickly, or have too many generations running at once."


@pytest.fixture
def nearly_spent(fake_api: FakeApi) -> FakeApi:
    fake_api.gen.models["video"] = VIDEO_MODELS
    fake_api.video.gen = fake_api.gen
    fake_api.add_user(ME)
    fake_api.budgets.set(ME, limit=5.0, spent=4.99)
    return fake_api


def refuse(fake_api: FakeApi, path: str) -> None:
    fake_api.forced[path] = over_budget(fake_api.budgets.of(ME))


def test_the_text_page_says_what_it_could_cost_and_what_is_left(
    nearly_spent: FakeApi, signed_in: FlaskClient
) -> None:
    refuse(nearly_spent, "/generate/text")
    data = {"model": "openai/gpt-4o-mini", "prompt": "Hello", "csrf_token": ""}
    data["csrf_token"] = csrf_token(signed_in, "/text")

    response = signed_in.post("/text", data=data)

    assert response.status_code == 402
    assert form_error(response.text) == OVER.format(cost="$0.05")
    assert textarea(response.text, "prompt") == "Hello"


def test_the_image_page_explains_the_refusal(nearly_spent: FakeApi, signed_in: FlaskClient) -> None:
    refuse(nearly_spent, "/generate/image")
    data = {
        "model": "google/gemini-2.5-flash-image",
        "prompt": "A cat",
        "aspect_ratio": "1:1",
        "csrf_token": csrf_token(signed_in, "/images"),
    }

    response = signed_in.post("/images", data=data)

    assert response.status_code == 402
    assert form_error(response.text) == OVER.format(cost="$0.04")


@pytest.mark.parametrize("path", ["/video", "/video/from-image"])
def test_the_video_pages_explain_the_refusal(
    nearly_spent: FakeApi, signed_in: FlaskClient, path: str
) -> None:
    refuse(nearly_spent, "/generate/video" if path == "/video" else "/generate/video/from-image")
    extra = {"image_url": "https://example.com/cat.png"} if path != "/video" else {}

    response = signed_in.post(path, data=form_data(signed_in, path, **extra))

    assert response.status_code == 402
    assert form_error(response.text) == OVER.format(cost="$1.60")


def test_the_stream_route_answers_the_refusal_as_json(
    nearly_spent: FakeApi, signed_in: FlaskClient
) -> None:
    refuse(nearly_spent, "/generate/text/stream")
    token = csrf_token(signed_in, "/text")

    response = signed_in.post(
        "/text/stream",
        data={"model": "openai/gpt-4o-mini", "prompt": "Hello"},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 402
    assert response.json is not None
    assert response.json["code"] == "budget_exceeded"
    assert response.json["message"] == OVER.format(cost="$0.05")


def test_an_error_event_of_the_stream_explains_the_refusal(
    nearly_spent: FakeApi, signed_in: FlaskClient
) -> None:
    refusal = over_budget(nearly_spent.budgets.of(ME))[1]
    nearly_spent.gen.stream = Streamed([sse("error", refusal)])
    token = csrf_token(signed_in, "/text")

    response = signed_in.post(
        "/text/stream",
        data={"model": "openai/gpt-4o-mini", "prompt": "Hello"},
        headers={"X-CSRFToken": token},
    )

    event = response.text.split("data: ", 1)[1]
    assert response.text.startswith("event: error")
    assert json.loads(event)["message"] == (
        "This request could cost more than the $0.01 left of your $5.00 budget; "
        "it resets on 1 January 2099."
    )


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        (problem(422, "price_unknown", "No price."), 422, PRICE_UNKNOWN),
        (
            problem(429, "rate_limited", retry_after=12),
            429,
            f"{TOO_QUICK} Try again in 12 seconds.",
        ),
    ],
    ids=["price_unknown", "rate_limited"],
)
def test_an_unknown_price_and_the_rate_limit_have_their_own_words(
    nearly_spent: FakeApi, signed_in: FlaskClient, answer: object, status: int, message: str
) -> None:
    token = csrf_token(signed_in, "/text")
    data = {"model": "openai/gpt-4o-mini", "prompt": "Hello"}
    for path in ("/generate/text", "/generate/text/stream"):
        nearly_spent.forced[path] = answer  # type: ignore[assignment]

    page = signed_in.post("/text", data={**data, "csrf_token": token})
    streamed = signed_in.post("/text/stream", data=data, headers={"X-CSRFToken": token})

    assert page.status_code == streamed.status_code == status
    assert form_error(page.text).startswith(message)
    assert streamed.json is not None
    assert streamed.json["message"].startswith(message)
