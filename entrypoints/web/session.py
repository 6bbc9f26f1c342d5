"""The signed-in session: an opaque id in the cookie, the tokens in the server-side store
(session_store.py), one refresh per session at a time, and the login_required guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypedDict, TypeVar, cast

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiClient, ApiProblem
from entrypoints.web.auth.types import TokenPairJson, UserJson
from entrypoints.web.session_store import Entry, SessionStore

T = TypeVar("T")
API_EXTENSION = "allucanget_api"
STORE_EXTENSION = "allucanget_sessions"
SESSION_ID = "sid"
# The refresh family reached its end (security.md #22): nothing was done wrong.
EXPIRED_MESSAGE = "Your session has expired. Please sign in again."
# The family was ended on purpose: signed out elsewhere, password or role changed, account
# deleted (the refresh token is revoked or unknown to the API).
ENDED_MESSAGE = "Your session has ended. Please sign in again."
# An access token the API no longer accepts: worth one refresh before giving up.
REFRESHABLE = frozenset({"token_expired", "token_invalid"})
# Answers that mean the session as a whole is over.
SESSION_OVER = REFRESHABLE | {"token_revoked", "token_reused", "not_authenticated"}
_LOOKUP = "allucanget_session_lookup"


class SessionExpiredError(Exception):
    """The session is gone or no longer accepted; the user must sign in again."""

    def __init__(self, message: str = EXPIRED_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


class CurrentUser(TypedDict):
    id: str
    email: str
    role: str


def api() -> ApiClient:
    return cast(ApiClient, current_app.extensions[API_EXTENSION])


def store() -> SessionStore:
    return cast(SessionStore, current_app.extensions[STORE_EXTENSION])


def remember(pair: TokenPairJson, user: UserJson) -> None:
    """Start a fresh session under a new id: nothing from before sign-in survives
    (security.md #39, #40); the old id's row, if any, is deleted."""
    forget()  # no fixation; Flask-WTF makes a new CSRF token on the next form
    entry = Entry(
        pair["access_token"],
        pair["refresh_token"],
        user["id"],
        user["email"],
        user["role"],
        _family_end(pair),
    )
    session.permanent = True
    session[SESSION_ID] = store().create(entry)
    g.pop(_LOOKUP, None)


def forget() -> None:
    """End the session here: its server-side row and everything in the cookie."""
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        store().delete(session_id)
    session.clear()
    g.pop(_LOOKUP, None)


def signed_in() -> bool:
    return _lookup()[0] is not None


def current_user() -> CurrentUser | None:
    entry = _lookup()[0]
    if entry is None:
        return None
    return {"id": entry.user_id, "email": entry.email, "role": entry.role}


def update_user(email: str, role: str) -> None:
    """The API's word on who the signed-in user is now (security.md #15: the role may change)."""
    user = current_user()
    session_id = session.get(SESSION_ID)
    if user is None or not isinstance(session_id, str):
        return
    if (email, role) != (user["email"], user["role"]):
        store().set_user(session_id, email, role)
        g.pop(_LOOKUP, None)


def refresh_token() -> str | None:
    entry = _lookup()[0]
    return None if entry is None else entry.refresh_token


def call_api(call: Callable[[str], T]) -> T:
    """Run `call(access_token)`, refreshing once when the access token has lapsed."""
    entry = _lookup()[0]
    if entry is None:
        raise SessionExpiredError(_lookup()[1] or EXPIRED_MESSAGE)
    try:
        return call(entry.access_token)
    except ApiProblem as problem:
        if problem.code not in REFRESHABLE:
            _raise_if_session_over(problem)
            raise
    entry = _refreshed(entry)
    try:
        return call(entry.access_token)
    except ApiProblem as problem:
        _raise_if_session_over(problem)
        raise


def _refreshed(stale: Entry) -> Entry:
    """The session's pair after a refresh: done once under the session's lock; a request
    that finds the pair already replaced (another tab did it) uses the new one."""
    session_id = cast(str, session[SESSION_ID])
    with store().refresh_lock(session_id):
        entry = store().get(session_id)
        if entry is None or not entry.refresh_token:
            raise SessionExpiredError(ENDED_MESSAGE if entry is None else EXPIRED_MESSAGE)
        if entry.refresh_token == stale.refresh_token:
            pair = _refresh(entry.refresh_token)
            store().replace_pair(
                session_id, pair["access_token"], pair["refresh_token"], _family_end(pair)
            )
            entry = cast(Entry, store().get(session_id))
    g.pop(_LOOKUP, None)
    return entry


def _refresh(token: str) -> TokenPairJson:
    try:
        return api().refresh(token)
    except ApiProblem as problem:
        if problem.status == 401:  # expired, revoked or reused family: sign in again
            raise SessionExpiredError(message_for(problem.code)) from problem
        raise


def message_for(code: str) -> str:
    """token_expired: the family's time is up; anything else: it was ended on purpose."""
    return EXPIRED_MESSAGE if code in ("token_expired", "not_authenticated") else ENDED_MESSAGE


def _raise_if_session_over(problem: ApiProblem) -> None:
    if problem.code in SESSION_OVER:
        raise SessionExpiredError(message_for(problem.code)) from problem


def _family_end(pair: TokenPairJson) -> float:
    return store().now() + float(pair.get("refresh_expires_in") or 0)


def _lookup() -> tuple[Entry | None, str | None]:
    """(the live session's row, None), or (None, why a session in the cookie is over)."""
    cached = g.get(_LOOKUP)
    if cached is not None:
        return cast(tuple[Entry | None, str | None], cached)
    session_id = session.get(SESSION_ID)
    result: tuple[Entry | None, str | None] = (None, None)
    if isinstance(session_id, str):
        entry = store().get(session_id)
        if entry is None:
            result = (None, ENDED_MESSAGE)  # signed out elsewhere, or the store was reset
        elif entry.expires_at <= store().now() or not entry.refresh_token:
            result = (None, EXPIRED_MESSAGE)
        else:
            result = (entry, None)
    g.setdefault(_LOOKUP, result)
    return result


def login_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
        if not signed_in():
            return redirect(url_for("auth.login", next=current_path()))
        return view(*args, **kwargs)

    return guarded


def current_path() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return f"{request.path}?{query}" if query else request.path


def install(app: Flask) -> None:
    @app.before_request
    def _say_why_a_session_ended() -> None:
        """A cookie whose session is over: drop it and say why on the next page."""
        if request.endpoint == "static" or SESSION_ID not in session:
            return
        message = _lookup()[1]
        if message is not None:
            forget()
            flash(message, "warning")

    @app.errorhandler(SessionExpiredError)
    def _expired(error: SessionExpiredError) -> ResponseReturnValue:
        forget()
        flash(error.message, "warning")
        return redirect(url_for("auth.login", next=current_path()))
