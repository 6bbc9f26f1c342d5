"""A tiny stand-in for the API on loopback (contract JSON and problem documents), and fixtures."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from entrypoints.settings import Settings
from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.fake_admin import ADMIN_PATHS, FakeAdmin
from tests.web.fake_budget import FakeBudgets
from tests.web.fake_chat import CHAT_PATHS, FakeChats
from tests.web.fake_generation import Answer, FakeGenerations
from tests.web.fake_keys import KEY_PATHS, FakeKeys
from tests.web.fake_server import handler
from tests.web.fake_video import VIDEO_PATHS, FakeVideos

PASSWORD = "correct horse battery staple"
COMMON = {"password1234", "12345678"}
GENERATION_PATHS = ("/models", "/generate/", "/generations", "/media/")


def problem(status: int, code: str, detail: str = "", **extra: Any) -> Answer:
    headers = {"Retry-After": str(extra.pop("retry_after"))} if "retry_after" in extra else {}
    body = {"type": f"/problems/{code}", "title": code, "status": status, "detail": detail}
    return status, {**body, "code": code, **extra}, headers


@dataclass
class FakeApi:
    """The contract's routes over in-memory state; `forced` answers a path once.

    Auth lives here; generation, history and media in `gen` (fake_generation.py), the admin
    routes in `admin` (fake_admin.py).
    """

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    access: dict[str, str] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)
    forwarded_for: list[str | None] = field(default_factory=list)
    forced: dict[str, Answer] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=itertools.count)
    gen: FakeGenerations = field(default_factory=FakeGenerations)
    video: FakeVideos = field(default_factory=FakeVideos)  # video jobs (fake_video.py)
    admin: FakeAdmin = field(default_factory=FakeAdmin)
    chat: FakeChats = field(default_factory=FakeChats)  # conversations (fake_chat.py)
    budgets: FakeBudgets = field(default_factory=FakeBudgets)  # fake_budget.py
    keys: FakeKeys = field(default_factory=FakeKeys)  # API keys (fake_keys.py)
    gone: dict[str, str] = field(default_factory=dict)  # refresh token -> the code it now gets
    login_names_user: bool = True  # False: a sign-in answers only the tokens, as APIs did before

    def add_user(self, email: str, password: str = PASSWORD, role: str = "user") -> None:
        user = {
            "id": f"u{next(self.ids)}",
            "email": email,
            "role": role,
            "created_at": "2025-01-01T00:00:00Z",
        }
        self.users[email] = {"password": password, "user": user}

    def expire_access_tokens(self) -> None:
        self.expired.update(self.access)

    def revoke_refresh_tokens(self) -> None:
        self.refresh.clear()

    def expire_refresh_tokens(self) -> None:
        """The families reached their end: a refresh is answered 401 token_expired."""
        self.gone.update(dict.fromkeys(self.refresh, "token_expired"))
        self.refresh.clear()

    def end_sessions(self, email: str, *, revoke_only: bool = False) -> None:
        """Like the API: a role change revokes the user's refresh tokens; a deletion removes
        every token, so the access token is refused and the refresh token unknown."""
        for token in [t for t, owner in self.refresh.items() if owner == email]:
            del self.refresh[token]
            self.gone[token] = "token_revoked" if revoke_only else "token_invalid"
        if not revoke_only:
            for token in [t for t, owner in self.access.items() if owner == email]:
                del self.access[token]

    def user_id(self, email: str) -> str:
        return str(self.users[email]["user"]["id"])

    def handle(self, method: str, target: str, headers: Any, body: dict[str, Any]) -> Answer:
        self.calls.append(f"{method} {target}")
        path, _, query = target.partition("?")
        if path in self.forced:
            return self.forced.pop(path)
        route = ROUTES.get((method, path))
        if route:
            return route(self, headers, body)
        if path.startswith(ADMIN_PATHS):
            return self._admin(method, path, query, headers, body)
        # the video paths come before the other /generate/ routes
        areas = ((VIDEO_PATHS, self._video), (GENERATION_PATHS, self._gen))
        areas += ((CHAT_PATHS, self._chat), (KEY_PATHS, self._keys))
        serve = next((serve for paths, serve in areas if path.startswith(paths)), None)
        if serve is None:
            return problem(404, "not_found")
        caller = self._bearer(headers)
        if isinstance(caller, tuple):
            return caller
        return serve(caller, method, path, dict(parse_qsl(query)), headers, body)

    # The signed-in areas: `caller` is the email of the access token's user.
    def _video(self, caller: str, method: str, path: str, _q: Any, _h: Any, body: Any) -> Answer:
        return self.video.handle(caller, method, path, body) or problem(404, "not_found")

    def _gen(self, _caller: str, method: str, path: str, q: Any, h: Any, body: Any) -> Answer:
        answer = self.gen.handle(method, path, q, body, h)
        return answer or problem(404, "not_found", "Not found.")

    def _chat(self, caller: str, method: str, path: str, q: Any, _h: Any, body: Any) -> Answer:
        answer = self.chat.handle(caller, method, path, q, body)
        return answer or problem(405, "method_not_allowed")

    def _keys(self, caller: str, method: str, path: str, _q: Any, _h: Any, body: Any) -> Answer:
        return self.keys.handle(caller, method, path, body) or problem(405, "method_not_allowed")

    def _admin(self, method: str, path: str, query: str, headers: Any, body: Any) -> Answer:
        caller = self._bearer(headers)
        if isinstance(caller, tuple):
            return caller
        if self.users[caller]["user"]["role"] != "admin":  # the stored role decides
            return problem(403, "forbidden", "This needs the admin role.")
        answer = self.admin.handle(self, method, path, dict(parse_qsl(query)), body)
        return answer or problem(404, "not_found")

    def _pair(self, email: str) -> Answer:
        n = next(self.ids)
        self.access[f"at-{n}"], self.refresh[f"rt-{n}"] = email, email
        pair = {
            "access_token": f"at-{n}",
            "refresh_token": f"rt-{n}",
            "token_type": "bearer",
            "expires_in": 900,
            "refresh_expires_in": 1209600,
        }
        return 200, pair, {}

    def _bearer(self, headers: Any) -> str | Answer:
        token = (headers.get("Authorization") or "").removeprefix("Bearer ")
        if not token:
            return problem(401, "not_authenticated")
        if token in self.expired:
            return problem(401, "token_expired", "Sign in again or refresh the token.")
        return self.access.get(token) or problem(401, "token_invalid")

    def register(self, headers: Any, body: dict[str, Any]) -> Answer:
        self.forwarded_for.append(headers.get("X-Forwarded-For"))
        if body["email"] in self.users:
            return problem(409, "email_taken", "Email already registered.")
        if body["password"] in COMMON:
            return problem(422, "weak_password", "This password is too common.")
        self.add_user(body["email"], body["password"])
        return 201, self.users[body["email"]]["user"], {}

    def login(self, headers: Any, body: dict[str, Any]) -> Answer:
        self.forwarded_for.append(headers.get("X-Forwarded-For"))
        account = self.users.get(body["email"])
        if account is None or account["password"] != body["password"]:
            return problem(401, "invalid_credentials", "Invalid email or password.")
        status, pair, headers = self._pair(body["email"])
        named = {"user": account["user"]} if self.login_names_user else {}
        return status, {**pair, **named}, headers

    def refresh_pair(self, _headers: Any, body: dict[str, Any]) -> Answer:
        email = self.refresh.pop(body["refresh_token"], None)
        if email is None and body["refresh_token"] in self.gone:
            return problem(401, self.gone[body["refresh_token"]])
        return self._pair(email) if email else problem(401, "token_reused")

    def logout(self, _headers: Any, body: dict[str, Any]) -> Answer:
        self.refresh.pop(body["refresh_token"], None)
        return 204, None, {}

    def me(self, headers: Any, _body: dict[str, Any]) -> Answer:
        email = self._bearer(headers)
        return email if isinstance(email, tuple) else (200, self.users[email]["user"], {})

    def my_budget(self, headers: Any, _body: dict[str, Any]) -> Answer:
        email = self._bearer(headers)
        return email if isinstance(email, tuple) else (200, self.budgets.of(email), {})

    def estimate(self, headers: Any, body: dict[str, Any]) -> Answer:
        email = self._bearer(headers)
        return email if isinstance(email, tuple) else self.budgets.estimate(email, body)

    def password(self, headers: Any, body: dict[str, Any]) -> Answer:
        self.forwarded_for.append(headers.get("X-Forwarded-For"))
        email = self._bearer(headers)
        if isinstance(email, tuple):
            return email
        if self.users[email]["password"] != body["current_password"]:
            return problem(401, "invalid_credentials", "Invalid email or password.")
        if body["new_password"] in COMMON:
            return problem(422, "weak_password", "This password is too common.")
        self.users[email]["password"] = body["new_password"]
        return 204, None, {}


ROUTES: dict[tuple[str, str], Callable[[FakeApi, Any, dict[str, Any]], Answer]] = {
    ("POST", "/auth/register"): FakeApi.register,
    ("POST", "/auth/login"): FakeApi.login,
    ("POST", "/auth/refresh"): FakeApi.refresh_pair,
    ("POST", "/auth/logout"): FakeApi.logout,
    ("GET", "/auth/me"): FakeApi.me,
    ("PUT", "/auth/password"): FakeApi.password,
    ("GET", "/me/budget"): FakeApi.my_budget,
    ("POST", "/generate/estimate"): FakeApi.estimate,
}


@pytest.fixture(scope="session")
def api_server() -> Iterator[tuple[str, list[FakeApi]]]:
    holder = [FakeApi()]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(holder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", holder
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_api(api_server: tuple[str, list[FakeApi]]) -> FakeApi:
    api_server[1][0] = FakeApi()
    return api_server[1][0]


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values = {"secret_key": "s" * 40, "data_dir": tmp_path, **overrides}
    return Settings(_env_file=None, **values)


@pytest.fixture
def api_client(api_server: tuple[str, list[FakeApi]]) -> Iterator[ApiClient]:
    client = ApiClient(api_server[0])
    yield client
    client.close()


@pytest.fixture
def app(tmp_path: Path, api_client: ApiClient) -> Flask:
    return create_app(make_settings(tmp_path), api_client)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str, **kwargs: Any) -> str:
    match = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', client.get(path, **kwargs).text)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def sign_in(
    client: FlaskClient, fake: FakeApi, email: str = "ada@example.com", next_path: str = ""
) -> TestResponse:
    if email not in fake.users:
        fake.add_user(email)
    query = {"next": next_path} if next_path else {}
    token = csrf_token(client, "/login", query_string=query)
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    return client.post("/login", query_string=query, data=data)


@pytest.fixture
def signed_in(client: FlaskClient, fake_api: FakeApi) -> FlaskClient:
    assert sign_in(client, fake_api).status_code == 302
    return client


@pytest.fixture
def as_admin(client: FlaskClient, fake_api: FakeApi) -> FlaskClient:
    fake_api.add_user("root@example.com", role="admin")
    assert sign_in(client, fake_api, "root@example.com").status_code == 302
    return client
