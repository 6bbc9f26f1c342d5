"""One user cannot hold every waitress thread: at most N generations in flight per user."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from entrypoints.web.inflight import InFlight
from tests.web.conftest import FakeApi, csrf_token, make_settings, sign_in
from tests.web.test_text_views import post_stream

BUSY = "You already have 2 generations running. Wait for one to finish, then try again."


def capped(tmp_path: Path, api_client: ApiClient, fake_api: FakeApi) -> FlaskClient:
    settings = make_settings(tmp_path, web_generations_per_user=2)
    client = create_app(settings, api_client).test_client()
    assert sign_in(client, fake_api).status_code == 302
    return client


def hold_slots(client: FlaskClient, fake_api: FakeApi, email: str, count: int) -> None:
    """As if `count` generations of this user were waiting on the model right now."""
    inflight: InFlight = client.application.extensions[InFlight.EXTENSION]
    for _ in range(count):
        inflight.acquire(fake_api.user_id(email))


def test_past_the_cap_a_generation_is_refused_with_429_and_nothing_is_sent(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    client = capped(tmp_path, api_client, fake_api)
    hold_slots(client, fake_api, "ada@example.com", 2)
    token = csrf_token(client, "/text")
    fake_api.calls.clear()

    page = client.post(
        "/text", data={"model": "openai/gpt-4o-mini", "prompt": "Hi", "csrf_token": token}
    )
    stream = post_stream(client, token=token)

    assert page.status_code == 429
    assert BUSY in page.text
    assert stream.status_code == 429
    assert stream.json is not None and stream.json["code"] == "too_many_generations"
    assert not [call for call in fake_api.calls if "/generate/" in call]


def test_the_cap_is_per_user(tmp_path: Path, api_client: ApiClient, fake_api: FakeApi) -> None:
    client = capped(tmp_path, api_client, fake_api)
    fake_api.add_user("bo@example.com")
    hold_slots(client, fake_api, "bo@example.com", 2)

    response = post_stream(client)

    assert response.status_code == 200


def test_slots_are_given_back_when_a_generation_ends(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    client = capped(tmp_path, api_client, fake_api)
    inflight: InFlight = client.application.extensions[InFlight.EXTENSION]
    user_id = fake_api.user_id("ada@example.com")
    token = csrf_token(client, "/text")

    for _ in range(3):  # more than the cap, one after another
        assert post_stream(client, token=token).status_code == 200
        form = {"model": "openai/gpt-4o-mini", "prompt": "Hi", "csrf_token": token}
        assert client.post("/text", data=form).status_code == 200
    fake_api.forced["/generate/text"] = (502, {"code": "upstream_unavailable"}, {})
    client.post("/text", data=form)
    fake_api.forced["/generate/text/stream"] = (502, {"code": "upstream_unavailable"}, {})
    assert post_stream(client, token=token).status_code == 502

    assert inflight.count(user_id) == 0
