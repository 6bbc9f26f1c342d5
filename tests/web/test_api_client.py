"""api_client.py: problem documents become ApiProblem, transport failures ApiUnavailableError."""

from __future__ import annotations

import httpx
import pytest

from entrypoints.web.api_client import ApiClient, ApiProblem, ApiUnavailableError
from tests.web.conftest import PASSWORD, FakeApi, problem


def test_login_and_me_round_trip(api_client: ApiClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")

    pair = api_client.login("ada@example.com", PASSWORD, "203.0.113.7")
    user = api_client.me(pair["access_token"])

    assert pair["token_type"] == "bearer"
    assert user["email"] == "ada@example.com"
    assert fake_api.forwarded_for == ["203.0.113.7"]


def test_a_problem_document_becomes_an_api_problem(
    api_client: ApiClient, fake_api: FakeApi
) -> None:
    fake_api.forced["/auth/login"] = problem(429, "rate_limited", "Slow down.", retry_after=90)

    with pytest.raises(ApiProblem) as caught:
        api_client.login("ada@example.com", PASSWORD, None)

    assert (caught.value.status, caught.value.code) == (429, "rate_limited")
    assert (caught.value.title, caught.value.detail) == ("rate_limited", "Slow down.")
    assert caught.value.retry_after == 90


def test_a_body_that_is_not_a_problem_still_gives_a_status(api_client: ApiClient) -> None:
    client = ApiClient(
        "http://api",
        transport=httpx.MockTransport(
            lambda _request: httpx.Response(502, text="<html>bad gateway</html>")
        ),
    )

    with pytest.raises(ApiProblem) as caught:
        client.me("at")

    assert (caught.value.status, caught.value.code) == (502, "http_502")


def test_timeouts_become_api_unavailable() -> None:
    def time_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    client = ApiClient("http://api", transport=httpx.MockTransport(time_out))

    with pytest.raises(ApiUnavailableError):
        client.refresh("rt")


def test_logout_and_change_password_return_nothing(
    api_client: ApiClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("ada@example.com")
    pair = api_client.login("ada@example.com", PASSWORD, None)

    api_client.change_password(pair["access_token"], PASSWORD, "a new passphrase", None)
    api_client.logout(pair["refresh_token"])

    assert fake_api.users["ada@example.com"]["password"] == "a new passphrase"
    assert pair["refresh_token"] not in fake_api.refresh


def test_register_and_change_password_forward_the_browser_address(
    api_client: ApiClient, fake_api: FakeApi
) -> None:
    api_client.register("ada@example.com", PASSWORD, "203.0.113.7")
    pair = api_client.login("ada@example.com", PASSWORD, "203.0.113.7")
    api_client.change_password(pair["access_token"], PASSWORD, "a new passphrase", "203.0.113.7")

    assert fake_api.forwarded_for == ["203.0.113.7"] * 3
