"""Every generation page shows the estimated maximum cost before sending: rendered for its
selection, on the Estimate button without JavaScript, and at /estimate for estimate.js."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token, problem
from tests.web.fake_video import VIDEO_MODELS
from tests.web.video_pages import form_data

PAGES = [
    ("/text", "text", "openai/gpt-4o-mini"),
    ("/images", "image", "google/gemini-2.5-flash-image"),
    ("/video", "video", "google/veo-3.1-lite"),
    ("/video/from-image", "video", "google/veo-3.1-lite"),
]


@pytest.fixture(autouse=True)
def video_models(fake_api: FakeApi) -> None:
    fake_api.gen.models["video"] = VIDEO_MODELS
    fake_api.video.gen = fake_api.gen


def estimate(page: str) -> str:
    match = re.search(r'<p class="estimate[^"]*"[^>]*data-testid="estimate">(.*?)</p>', page, re.S)
    assert match, "no estimate on the page"
    return html.unescape(match.group(1))


@pytest.mark.parametrize(("path", "kind", "model"), PAGES)
def test_each_page_shows_the_estimate_of_its_default_model(
    signed_in: FlaskClient, fake_api: FakeApi, path: str, kind: str, model: str
) -> None:
    fake_api.budgets.set("ada@example.com", limit=5.0, spent=1.0)

    page = signed_in.get(path).text

    assert fake_api.budgets.estimates[-1] == {"kind": kind, "model": model}
    cost = "$1.60" if kind == "video" else ("$0.04" if kind == "image" else "$0.05")
    assert estimate(page) == (
        f"Estimated cost: at most {cost}. $4.00 of your $5.00 monthly budget is left."
    )
    assert 'name="action" value="estimate"' in page  # the button, for pages without JS
    assert f'data-estimate-kind="{kind}"' in page
    assert 'src="/static/estimate.js"' in page


def test_the_estimate_button_estimates_what_was_typed_and_sends_nothing(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    data = {
        "csrf_token": csrf_token(signed_in, "/text"),
        "model": "openai/gpt-4o-mini",
        "prompt": "Hello",
        "system": "Be brief",
        "max_tokens": "100",
        "action": "estimate",
    }

    response = signed_in.post("/text", data=data)

    assert response.status_code == 200
    assert estimate(response.text) == "Estimated cost: at most $0.05."
    assert fake_api.budgets.estimates[-1] == {
        "kind": "text",
        "model": "openai/gpt-4o-mini",
        "prompt": "Hello",
        "system": "Be brief",
        "max_tokens": 100,
    }
    assert fake_api.gen.items == []  # nothing generated
    assert "Hello</textarea>" in response.text


def test_the_video_estimate_names_duration_and_resolution(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    data = form_data(signed_in, duration="8", resolution="720p", action="estimate")

    response = signed_in.post("/video", data=data)

    assert response.status_code == 200
    assert fake_api.budgets.estimates[-1] == {
        "kind": "video",
        "model": "google/veo-3.1-lite",
        "prompt": "A fox in the snow",
        "duration": 8,
        "resolution": "720p",
    }
    assert fake_api.video.bodies == []


def test_an_estimate_over_the_budget_says_so_before_sending(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.budgets.set("ada@example.com", limit=5.0, spent=4.99)

    page = signed_in.get("/text").text

    assert 'class="estimate estimate-over"' in page
    assert estimate(page) == (
        "This could cost up to $0.05, but only $0.01 of your $5.00 monthly budget is left; "
        "it resets on 1 January 2099."
    )


def test_the_estimate_route_answers_json_for_the_script(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    token = csrf_token(signed_in, "/images")
    fields = {"kind": "image", "model": "google/gemini-2.5-flash-image", "prompt": "A cat"}

    response = signed_in.post("/estimate", data=fields, headers={"X-CSRFToken": token})

    assert response.status_code == 200
    assert response.json == {
        "text": "Estimated cost: at most $0.04.",
        "allowed": True,
        "max_cost": 0.04,
    }
    assert fake_api.budgets.estimates[-1] == fields


def test_the_estimate_route_names_an_unknown_price(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.budgets.set("ada@example.com", limit=5.0)
    token = csrf_token(signed_in, "/text")
    fields = {"kind": "text", "model": "someone/unpriced-model"}

    response = signed_in.post("/estimate", data=fields, headers={"X-CSRFToken": token})

    assert response.json is not None
    assert response.json["allowed"] is False
    assert response.json["text"].startswith("The price of this model is not known")


def test_the_estimate_route_is_guarded(
    client: FlaskClient, signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fields = {"kind": "text", "model": "openai/gpt-4o-mini"}
    assert signed_in.post("/estimate", data=fields).status_code == 400  # no CSRF token
    token = csrf_token(signed_in, "/text")
    headers = {"X-CSRFToken": token}
    bad = signed_in.post("/estimate", data={"kind": "sound", "model": "a/b"}, headers=headers)
    assert bad.status_code == 400
    fake_api.forced["/generate/estimate"] = problem(503, "service_unavailable")
    down = signed_in.post("/estimate", data=fields, headers=headers)
    assert down.json == {
        "code": "estimate_unavailable",
        "text": "The cost cannot be estimated right now.",
    }
    signed_in.post("/logout", data={"csrf_token": token})
    assert client.post("/estimate", data=fields, headers=headers).status_code in (400, 401)


def test_a_page_stands_when_the_api_cannot_estimate(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.forced["/generate/estimate"] = problem(404, "not_found")

    response = signed_in.get("/text")

    assert response.status_code == 200
    assert estimate(response.text) == ""
