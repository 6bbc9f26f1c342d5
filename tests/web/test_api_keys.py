"""The API keys page of the account: the list, a new key shown once, errors, revocation."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import FakeApi, csrf_token, make_settings, problem, sign_in

ADA = "ada@example.com"
PAGE = "/account/api-keys"


def create(client: FlaskClient, **data: str) -> tuple[int, str, dict[str, str]]:
    form = {"csrf_token": csrf_token(client, PAGE), "name": "laptop", **data}
    response = client.post(PAGE, data=form)
    return response.status_code, response.text, dict(response.headers)


def key_ids(page: str) -> list[str]:
    return re.findall(r'data-testid="key-row" data-key-id="([^"]+)"', page)


def test_the_page_lists_own_keys_with_prefix_dates_and_last_use(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.keys.add(ADA, "laptop")
    fake_api.keys.add(
        ADA, "ci", expires_at="2026-01-01T00:00:00Z", last_used_at="2025-03-02T08:00:00Z"
    )
    fake_api.keys.add("someone@example.com", "theirs")

    page = signed_in.get(PAGE).text

    assert key_ids(page) == ["k0", "k1"]
    assert "GET /api-keys" in fake_api.calls
    assert "<code>agk_secret00…</code>" in page and "theirs" not in page
    assert page.count(">never<") == 2  # k0 expires never and was never used; k1 has both
    assert 'datetime="2025-03-02T08:00:00Z"' in page
    assert 'href="/account/api-keys/k1/revoke"' in page
    assert "agk_secret0000x" not in page  # never the secret itself
    assert '<a href="/account/api-keys" aria-current="page">API keys</a>' in page


def test_without_keys_the_page_says_so_and_offers_the_form(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    page = signed_in.get(PAGE).text

    assert 'data-testid="no-keys"' in page
    assert 'name="name"' in page and 'name="expires_in_days"' in page


def test_the_account_entry_leads_to_the_keys_tab(signed_in: FlaskClient) -> None:
    page = signed_in.get("/account/password").text

    assert '<a href="/account/api-keys">API keys</a>' in page
    assert '<a href="/account/password" aria-current="page">Account</a>' in page


def test_a_new_key_is_shown_once_with_a_copy_button_and_the_sdk_snippet(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    status, page, headers = create(signed_in, name="my script", expires_in_days="30")

    key = fake_api.keys.keys["k0"]["key"]
    assert status == 201
    assert fake_api.keys.bodies == [{"name": "my script", "expires_in_days": 30}]
    assert headers["Cache-Control"] == "no-store"
    assert f'value="{key}"' in page and "readonly" in page
    assert 'data-copy="new-key"' in page and "/static/keys.js" in page
    assert "<script>" not in page  # CSP: external scripts only
    snippet = html.unescape(page.split('data-testid="sdk-snippet"')[1].split("</textarea>")[0])
    assert "from openai import OpenAI" in snippet
    assert f'OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="{key}")' in snippet
    assert 'model="openai/gpt-4o-mini"' in snippet
    assert '{"role": "user", "content": "Hello"}' in snippet
    assert 'datetime="2025-03-31T12:00:00Z"' in page  # the expiry the API answered

    again = signed_in.get(PAGE)
    assert key not in again.text  # a reload of the list never shows it
    assert key_ids(again.text) == ["k0"]
    assert key not in str(signed_in.get_cookie("allucanget_session"))


def test_without_an_expiry_none_is_sent(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    status, page, _ = create(signed_in, expires_in_days="")

    assert status == 201
    assert fake_api.keys.bodies == [{"name": "laptop"}]
    assert "Expires: never" in page


def test_the_snippet_names_the_public_api_url(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    settings = make_settings(tmp_path, public_api_url="https://api.example.com/")
    client = create_app(settings, api_client).test_client()
    sign_in(client, fake_api)

    _, page, _ = create(client)

    assert 'base_url="https://api.example.com/v1"' in html.unescape(page)


def test_the_form_checks_name_and_expiry_before_the_api(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    status, page, _ = create(signed_in, name="  ", expires_in_days="0")

    assert status == 400
    assert "Name the key" in page and "Between 1 and 3650 days." in page
    assert fake_api.keys.bodies == []


def test_the_apis_validation_errors_land_on_their_fields(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    errors = [{"loc": ["body", "expires_in_days"], "msg": "Too far away."}]
    token = csrf_token(signed_in, PAGE)
    fake_api.forced["/api-keys"] = problem(422, "validation_error", errors=errors)

    response = signed_in.post(PAGE, data={"csrf_token": token, "name": "a", "expires_in_days": "5"})
    status, page = response.status_code, response.text

    assert status == 422
    assert 'id="expires_in_days-error">Too far away.</p>' in page
    assert "Please correct the highlighted fields." in page


def test_the_twenty_keys_limit_is_a_flash(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    for n in range(20):
        fake_api.keys.add(ADA, f"key {n}")

    status, page, _ = create(signed_in, name="one more")

    assert status == 422
    assert "You have the most API keys allowed (20)." in page
    assert 'value="one more"' in page  # the form keeps what was typed
    assert len(key_ids(page)) == 20


def test_revoking_asks_first_and_deletes_on_the_confirmed_post(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.keys.add(ADA, "laptop")

    confirm = signed_in.get(f"{PAGE}/k0/revoke").text
    assert "Revoke <strong>laptop</strong> (<code>agk_secret00…</code>)?" in confirm
    assert not any(call.startswith("DELETE") for call in fake_api.calls)  # nothing on GET

    token = csrf_token(signed_in, f"{PAGE}/k0/revoke")
    response = signed_in.post(f"{PAGE}/k0/revoke", data={"csrf_token": token})

    assert response.status_code == 302 and response.location == PAGE
    assert "DELETE /api-keys/k0" in fake_api.calls
    page = signed_in.get(PAGE).text
    assert "The key was revoked" in page and key_ids(page) == []


def test_revoking_needs_the_csrf_token(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.keys.add(ADA)

    response = signed_in.post(f"{PAGE}/k0/revoke")

    assert response.status_code == 400
    assert "k0" in fake_api.keys.keys


def test_a_key_already_gone_is_said_so(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.keys.add(ADA)
    token = csrf_token(signed_in, f"{PAGE}/k0/revoke")
    del fake_api.keys.keys["k0"]

    confirm = signed_in.get(f"{PAGE}/k0/revoke")
    response = signed_in.post(f"{PAGE}/k0/revoke", data={"csrf_token": token})

    assert confirm.status_code == 302 and response.status_code == 302
    assert "already revoked" in signed_in.get(PAGE).text


def test_someone_elses_key_cannot_be_revoked(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.keys.add("someone@example.com")
    token = csrf_token(signed_in, PAGE)

    response = signed_in.post(f"{PAGE}/k0/revoke", data={"csrf_token": token})

    assert response.status_code == 302
    assert "k0" in fake_api.keys.keys  # the API's 404 is "already revoked" here


def test_a_malformed_key_id_is_404_without_an_api_call(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    assert signed_in.get(f"{PAGE}/k.0/revoke").status_code == 404
    assert not any("k.0" in call for call in fake_api.calls)


def test_the_pages_need_a_session(client: FlaskClient) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.location.startswith("/login?next=/account/api-keys")
