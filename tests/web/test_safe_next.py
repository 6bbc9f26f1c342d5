"""security.md #43: `next` accepts only same-origin relative paths."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from entrypoints.web.security import safe_next
from tests.web.conftest import FakeApi, sign_in

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "/\tevil",
    "/\nLocation: https://evil",
    "/\x00",
    "/\x7f",
    " //evil.example",
    "",
    None,
    "/" + "a" * 3000,
    "https:///evil.example",
]
SAFE = ["/", "/dashboard?x=1", "/account/password", "/generations?kind=image&cursor=a%2Fb"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_fall_back_to_the_default(target: str | None) -> None:
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", SAFE)
def test_same_origin_paths_are_kept(target: str) -> None:
    assert safe_next(target, "/") == target


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil"])
def test_login_never_redirects_off_site(
    client: FlaskClient, fake_api: FakeApi, target: str
) -> None:
    response = sign_in(client, fake_api, next_path=target)

    assert response.status_code == 302
    assert response.location == "/"


def test_login_returns_to_a_safe_next(client: FlaskClient, fake_api: FakeApi) -> None:
    response = sign_in(client, fake_api, next_path="/account/password?tab=1")

    assert response.location == "/account/password?tab=1"
