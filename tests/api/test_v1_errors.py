"""/v1 errors in OpenAI's shape, so that the official SDK raises its own exception classes:
401 AuthenticationError, 400 BadRequestError, 404 NotFoundError, 429 RateLimitError (with
Retry-After), 402 for the budget, 5xx InternalServerError for a failing provider."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from tests import simulator_fixtures as fx
from tests.api.v1_fixtures import ADMIN_EMAIL, ADMIN_PASSWORD, PER_MINUTE, V1Platform, platform
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator, platform = fx.simulator_session, fx.simulator, platform
MODEL = "openai/gpt-4o-mini"
HELLO = [{"role": "user", "content": "Hello [[sim:tokens=2]]"}]


def error_of(exc: openai.APIStatusError) -> dict[str, Any]:
    body = exc.response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert exc.response.headers["content-type"].startswith("application/json")
    return dict(body["error"])


def test_a_wrong_key_is_an_authentication_error(platform: V1Platform) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        platform.client("agk_not-a-key").chat.completions.create(model=MODEL, messages=HELLO)
    error = error_of(caught.value)
    assert (error["type"], error["code"]) == ("invalid_request_error", "invalid_api_key")
    missing = httpx.get(f"{platform.base_url}/models")  # no Authorization at all
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"n": 2}, None),
        ({"temperature": 3}, "temperature"),
        ({"messages": [{"role": "assistant", "content": "Hi"}]}, None),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages.0.role"),
        ({"messages": [{"role": "user", "content": "  "}]}, None),
    ],
)
def test_an_invalid_request_is_a_bad_request_error(
    platform: V1Platform, fields: dict[str, Any], param: str | None
) -> None:
    token, _ = platform.new_user()
    request: dict[str, Any] = {"model": MODEL, "messages": HELLO, **fields}
    with pytest.raises(openai.BadRequestError) as caught:
        platform.client(token).chat.completions.create(**request)
    error = error_of(caught.value)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert platform.history(token) == []  # refused before anything was sent or kept


def test_an_image_request_with_n_above_1_or_a_bad_size_is_a_bad_request(
    platform: V1Platform,
) -> None:
    token, _ = platform.new_user()
    images = platform.client(token).images
    with pytest.raises(openai.BadRequestError):
        images.generate(model="google/gemini-2.5-flash-image", prompt="A fox", n=2)
    with pytest.raises(openai.BadRequestError):
        images.generate(model="google/gemini-2.5-flash-image", prompt="A fox", size="big")


def test_an_unknown_model_is_not_found(platform: V1Platform) -> None:
    token, _ = platform.new_user()
    with pytest.raises(openai.NotFoundError) as caught:
        platform.client(token).chat.completions.create(model="acme/no-such-model", messages=HELLO)
    assert error_of(caught.value)["code"] == "model_not_found"
    with pytest.raises(openai.NotFoundError):  # a text model is no image model
        platform.client(token).images.generate(model=MODEL, prompt="A fox")


def test_past_the_rate_limit_is_a_rate_limit_error_with_retry_after(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    client = platform.client(token)
    for _ in range(PER_MINUTE):
        client.chat.completions.create(model=MODEL, messages=HELLO)
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=MODEL, messages=HELLO)
    assert error_of(caught.value)["code"] == "rate_limit_exceeded"
    assert int(caught.value.response.headers["retry-after"]) >= 1


def test_over_the_budget_is_a_402_insufficient_quota(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, user_id = platform.new_user()
    admin = {"Authorization": f"Bearer {platform.login(ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    budget = {"limit": 0, "period": "month"}
    url = f"{platform.api.url}/users/{user_id}/budget"
    assert platform.http.put(url, json=budget, headers=admin).status_code == 200
    with pytest.raises(openai.APIStatusError) as caught:
        platform.client(token).chat.completions.create(model=MODEL, messages=HELLO)
    assert caught.value.status_code == 402
    error = error_of(caught.value)
    assert (error["type"], error["code"]) == ("insufficient_quota", "insufficient_quota")
    assert simulator.requests("/chat/completions") == []


def test_a_failing_provider_is_an_internal_server_error_kept_as_failed(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    messages = [{"role": "user", "content": "Hello [[sim:fault=500]]"}]
    with pytest.raises(openai.InternalServerError) as caught:
        platform.client(token).chat.completions.create(model=MODEL, messages=messages)
    assert error_of(caught.value)["type"] == "api_error"
    [kept] = platform.history(token)
    assert kept["status"] == "failed"


def test_other_paths_keep_their_problem_documents(platform: V1Platform) -> None:
    answer = httpx.get(f"{platform.api.url}/models")
    assert answer.headers["content-type"].startswith("application/problem+json")
    unknown = httpx.get(f"{platform.base_url}/no-such-thing")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
