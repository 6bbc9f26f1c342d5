"""HTTP client of the allucanget API: JSON in, RFC 9457 problem documents out as ApiProblem."""

from __future__ import annotations

from typing import Any, TypedDict, cast

import httpx

# Hashing a password takes up to a second under load; a dead API must fail fast all the same.
TIMEOUT = httpx.Timeout(15.0, connect=3.0)
LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16)


class TokenPair(TypedDict):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int


class User(TypedDict):
    id: str
    email: str
    role: str
    created_at: str


class ApiUnavailableError(Exception):
    """The API could not be reached, timed out, or answered something that is not JSON."""


class ApiProblem(Exception):  # noqa: N818 - named by the web contract, not a core error
    """A 4xx/5xx answer of the API, read from its problem document."""

    def __init__(
        self,
        *,
        status: int,
        code: str,
        title: str = "",
        detail: str = "",
        errors: list[dict[str, Any]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiProblem:
        body = _json_or_empty(response)
        errors = body.get("errors")
        return cls(
            status=response.status_code,
            code=str(body.get("code") or f"http_{response.status_code}"),
            title=str(body.get("title") or ""),
            detail=str(body.get("detail") or ""),
            errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )


class ApiClient:
    """One pooled httpx.Client for the web process; every method is one API call."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(
            base_url=base_url, timeout=TIMEOUT, limits=LIMITS, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def register(self, email: str, password: str) -> User:
        body = {"email": email, "password": password}
        return cast(User, self._send("POST", "/auth/register", json=body))

    def login(self, email: str, password: str, client_ip: str | None) -> TokenPair:
        # The API trusts X-Forwarded-For from loopback only, so its per-address throttle
        # (security.md #7) sees the browser's address, not ours.
        headers = {"X-Forwarded-For": client_ip} if client_ip else {}
        body = {"email": email, "password": password}
        return cast(TokenPair, self._send("POST", "/auth/login", json=body, headers=headers))

    def refresh(self, refresh_token: str) -> TokenPair:
        body = {"refresh_token": refresh_token}
        return cast(TokenPair, self._send("POST", "/auth/refresh", json=body))

    def logout(self, refresh_token: str) -> None:
        self._send("POST", "/auth/logout", json={"refresh_token": refresh_token})

    def me(self, access_token: str) -> User:
        return cast(User, self._send("GET", "/auth/me", headers=_bearer(access_token)))

    def change_password(self, access_token: str, current_password: str, new_password: str) -> None:
        body = {"current_password": current_password, "new_password": new_password}
        self._send("PUT", "/auth/password", json=body, headers=_bearer(access_token))

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, json=json, headers=headers)
        except httpx.TransportError as exc:  # connect errors and timeouts alike
            raise ApiUnavailableError(type(exc).__name__) from exc
        if not response.is_success:
            raise ApiProblem.from_response(response)
        if response.status_code == httpx.codes.NO_CONTENT:
            return {}
        return _json_object(response)


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise ApiUnavailableError("the API answered something that is not JSON") from exc
    if not isinstance(body, dict):
        raise ApiUnavailableError("the API answered JSON that is not an object")
    return body


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        return _json_object(response)
    except ApiUnavailableError:
        return {}


def _retry_after(value: str | None) -> int | None:
    # Our API sends delta-seconds; an HTTP-date is not worth parsing for a hint to a person.
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
