"""session.py: one silent refresh on an expired access token, else back to sign-in, saying why."""

from __future__ import annotations

from flask.testing import FlaskClient

from entrypoints.web.api_errors import ApiProblem
from entrypoints.web.session import SESSION_ID, STORE_EXTENSION, call_api
from tests.web.conftest import FakeApi, csrf_token, sign_in

EXPIRED = "Your session has expired. Please sign in again."
ENDED = "Your session has ended. Please sign in again."


def stored_pair(client: FlaskClient) -> tuple[str, str]:
    with client.session_transaction() as session:
        entry = client.application.extensions[STORE_EXTENSION].get(session[SESSION_ID])
    return entry.access_token, entry.refresh_token


def test_expired_access_token_is_refreshed_once_and_the_call_retried(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    old_pair = stored_pair(signed_in)
    with signed_in.session_transaction() as before:
        session_id = before[SESSION_ID]
    fake_api.expire_access_tokens()
    fake_api.calls.clear()

    response = signed_in.get("/")

    assert response.status_code == 200
    assert "ada@example.com" in response.text
    retried = ["GET /auth/me", "POST /auth/refresh", "GET /auth/me"]
    assert fake_api.calls == [*retried, "GET /me/budget"]  # the dashboard's budget card
    assert stored_pair(signed_in) != old_pair  # the new pair lives on the server side
    with signed_in.session_transaction() as after:
        assert after[SESSION_ID] == session_id


def test_an_expired_family_sends_the_user_to_sign_in_and_back(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.expire_access_tokens()
    fake_api.expire_refresh_tokens()  # the API answers 401 token_expired

    response = signed_in.get("/?view=compact")

    assert response.status_code == 302
    assert response.location == "/login?next=/?view%3Dcompact"
    login_page = signed_in.get(response.location)
    assert EXPIRED in login_page.text
    with signed_in.session_transaction() as session:
        assert SESSION_ID not in session
    again = sign_in(signed_in, fake_api, next_path="/?view=compact")
    assert again.location == "/?view=compact"


def test_a_family_ended_elsewhere_says_so_in_other_words(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.expire_access_tokens()
    fake_api.end_sessions("ada@example.com", revoke_only=True)  # e.g. the password changed

    response = signed_in.get("/history")

    assert response.location == "/login?next=/history"
    page = signed_in.get(response.location).text
    assert ENDED in page
    assert EXPIRED not in page


def test_past_the_familys_end_the_sign_in_page_says_it_expired(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    """The cookie outlives the family, so the web UI still knows whose session it was."""
    store = signed_in.application.extensions[STORE_EXTENSION]
    with signed_in.session_transaction() as session:
        session_id = session[SESSION_ID]
    entry = store.get(session_id)
    store.replace_pair(session_id, entry.access_token, entry.refresh_token, store.now() - 1)
    fake_api.calls.clear()

    response = signed_in.get("/history")

    assert response.location == "/login?next=/history"
    assert EXPIRED in signed_in.get(response.location).text
    assert fake_api.calls == []  # the web UI knew without asking
    assert store.get(session_id) is None


def test_a_revoked_session_on_a_form_post_also_asks_to_sign_in(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.access.clear()  # token_invalid
    fake_api.revoke_refresh_tokens()
    token = csrf_token(signed_in, "/account/password")
    data = {"current_password": "x", "new_password": "y", "csrf_token": token}

    response = signed_in.post("/account/password", data=data)

    assert response.location == "/login?next=/account/password"


def test_pages_need_a_session(client: FlaskClient) -> None:
    assert client.get("/account/password").location == "/login?next=/account/password"


def test_two_tabs_of_one_session_refresh_once(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    """The other tab's cookie is the same id; it finds the new pair, not a spent token."""
    other = signed_in.application.test_client()
    cookie = signed_in.get_cookie("allucanget_session")
    assert cookie is not None
    other.set_cookie("allucanget_session", cookie.value)
    fake_api.expire_access_tokens()
    fake_api.calls.clear()

    assert signed_in.get("/").status_code == 200
    assert other.get("/").status_code == 200
    assert signed_in.get("/").status_code == 200

    assert fake_api.calls.count("POST /auth/refresh") == 1
    assert "POST /auth/logout" not in fake_api.calls


def test_a_request_that_read_the_old_pair_uses_the_new_one(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    """Request B read the pair, then request A refreshed it: B must not refresh the spent
    refresh token (the API would see reuse and revoke the family); it takes A's pair."""
    cookie = signed_in.get_cookie("allucanget_session")
    assert cookie is not None
    fake_api.expire_access_tokens()
    fake_api.calls.clear()
    tokens: list[str] = []

    def call(token: str) -> str:
        tokens.append(token)
        if len(tokens) == 1:
            assert signed_in.get("/").status_code == 200  # request A refreshes meanwhile
            raise ApiProblem(status=401, code="token_expired")
        return token

    headers = {"Cookie": f"allucanget_session={cookie.value}"}
    with signed_in.application.test_request_context("/", headers=headers):
        answer = call_api(call)  # request B

    assert fake_api.calls.count("POST /auth/refresh") == 1  # A's, and only A's
    assert answer == stored_pair(signed_in)[0] != tokens[0]
