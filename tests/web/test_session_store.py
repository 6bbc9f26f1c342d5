"""The server-side session store: restart, sign-out, expiry and the file's mode."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from entrypoints.web.session import SESSION_ID, STORE_EXTENSION
from entrypoints.web.session_store import RETAIN_S, Entry, SessionStore
from tests.web.conftest import FakeApi, csrf_token, make_settings

ENDED = "Your session has ended. Please sign in again."


def cookie_of(client: FlaskClient) -> str:
    cookie = client.get_cookie("allucanget_session")
    assert cookie is not None
    return cookie.value


def test_sessions_survive_a_restart_of_the_web_ui(
    signed_in: FlaskClient, tmp_path: Path, api_client: ApiClient
) -> None:
    restarted = create_app(make_settings(tmp_path), api_client).test_client()
    restarted.set_cookie("allucanget_session", cookie_of(signed_in))

    page = restarted.get("/")

    assert page.status_code == 200
    assert 'data-testid="user-email">ada@example.com<' in page.text


def test_sign_out_deletes_the_row_and_the_old_cookie_is_worthless(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    old_cookie = cookie_of(signed_in)
    with signed_in.session_transaction() as session:
        session_id = session[SESSION_ID]
    token = csrf_token(signed_in, "/")

    signed_in.post("/logout", data={"csrf_token": token})

    assert signed_in.application.extensions[STORE_EXTENSION].get(session_id) is None
    replay = signed_in.application.test_client()
    replay.set_cookie("allucanget_session", old_cookie)
    response = replay.get("/history")
    assert response.location == "/login?next=/history"
    assert ENDED in replay.get(response.location).text
    assert "GET /generations?limit=20" not in fake_api.calls


def test_ended_families_lose_their_tokens_then_their_rows(tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = SessionStore(tmp_path / "s.sqlite3", clock=lambda: now[0])
    session_id = store.create(Entry("at", "rt", "u1", "ada@example.com", "user", now[0] + 60))
    store.purge()
    assert store.get(session_id) == Entry("at", "rt", "u1", "ada@example.com", "user", now[0] + 60)

    now[0] += 61
    store.purge()
    entry = store.get(session_id)
    assert entry is not None and (entry.access_token, entry.refresh_token) == ("", "")

    now[0] += RETAIN_S
    store.purge()
    assert store.get(session_id) is None


def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "web" / "sessions.sqlite3"

    SessionStore(path).close()

    assert path.stat().st_mode & 0o777 == 0o600


def test_the_file_can_live_outside_the_data_directory(
    tmp_path: Path, api_client: ApiClient
) -> None:
    path = tmp_path / "elsewhere" / "web.sqlite3"

    create_app(make_settings(tmp_path / "data", web_session_db=path), api_client)

    assert path.exists()
    assert not (tmp_path / "data" / "web_sessions.sqlite3").exists()
