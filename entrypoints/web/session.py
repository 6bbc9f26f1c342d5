"""The signed-in session: tokens in the cookie, silent refresh, and the login_required guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar, cast

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiClient, ApiProblem, TokenPair, User

T = TypeVar("T")
API_EXTENSION = "allucanget_api"
EXPIRED_MESSAGE = "Your session has expired. Please sign in again."
# The refresh token is unknown to the API: the account was deleted, or its sessions removed.
ENDED_MESSAGE = "Your session has ended. Please sign in again."
# An access token the API no longer accepts: worth one refresh before giving up.
REFRESHABLE = frozenset({"token_expired", "token_invalid"})
# Answers that mean the session as a whole is over.
SESSION_OVER = REFRESHABLE | {"token_revoked", "token_reused", "not_authenticated"}


class SessionExpiredError(Exception):
    """The tokens in the cookie are gone or no longer accepted; the user must sign in again."""

    def __init__(self, message: str = EXPIRED_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def api() -> ApiClient:
    return cast(ApiClient, current_app.extensions[API_EXTENSION])


def remember(pair: TokenPair, user: User) -> None:
    """Start a fresh session: nothing from before sign-in survives (security.md #39, #40)."""
    session.clear()  # no fixation; Flask-WTF makes a new CSRF token on the next form
    session.permanent = True
    _store_pair(pair)
    session["email"] = user["email"]
    session["role"] = user["role"]


def forget() -> None:
    session.clear()


def signed_in() -> bool:
    return "access_token" in session and "refresh_token" in session


def refresh_token() -> str | None:
    return cast(str | None, session.get("refresh_token"))


def call_api(call: Callable[[str], T]) -> T:
    """Run `call(access_token)`, refreshing once when the access token has lapsed."""
    if not signed_in():
        raise SessionExpiredError
    try:
        return call(session["access_token"])
    except ApiProblem as problem:
        if problem.code not in REFRESHABLE:
            _raise_if_session_over(problem)
            raise
    _store_pair(_refresh())
    try:
        return call(session["access_token"])
    except ApiProblem as problem:
        _raise_if_session_over(problem)
        raise


def _refresh() -> TokenPair:
    try:
        return api().refresh(session["refresh_token"])
    except ApiProblem as problem:
        if problem.status == 401:  # expired, revoked or reused family: sign in again
            ended = problem.code == "token_invalid"
            raise SessionExpiredError(ENDED_MESSAGE if ended else EXPIRED_MESSAGE) from problem
        raise


def _raise_if_session_over(problem: ApiProblem) -> None:
    if problem.code in SESSION_OVER:
        raise SessionExpiredError from problem


def _store_pair(pair: TokenPair) -> None:
    # Only the two tokens and two short strings: the cookie stays far below 4096 bytes.
    session["access_token"] = pair["access_token"]
    session["refresh_token"] = pair["refresh_token"]


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
    @app.errorhandler(SessionExpiredError)
    def _expired(error: SessionExpiredError) -> ResponseReturnValue:
        forget()
        flash(error.message, "warning")
        return redirect(url_for("auth.login", next=current_path()))
