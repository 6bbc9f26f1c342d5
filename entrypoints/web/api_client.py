"""HTTP client of the allucanget API: JSON in, RFC 9457 problem documents out as ApiProblem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import quote

import httpx

from entrypoints.web.admin.types import AuditPageJson, StatsJson, UserPageJson
from entrypoints.web.api_errors import ApiProblem, ApiUnavailableError, json_object
from entrypoints.web.auth.types import TokenPairJson, UserJson
from entrypoints.web.budget import BudgetJson, EstimateJson
from entrypoints.web.chat.api_calls import ConversationCalls
from entrypoints.web.generation.types import (
    GenerationJson,
    GenerationPageJson,
    ImageRequestJson,
    ImageResultJson,
    ModelJson,
    TextRequestJson,
    TextResultJson,
)
from entrypoints.web.keys.api_calls import KeyCalls
from entrypoints.web.streams import ByteStream, EventStream, open_stream
from entrypoints.web.video.types import Upload, VideoJobJson, VideoRequestJson

__all__ = ["ApiClient", "ApiProblem", "ApiUnavailableError"]

# Hashing a password takes up to a second under load; a dead API must fail fast all the same.
TIMEOUT = httpx.Timeout(15.0, connect=3.0)
# A model may think for minutes before its first token, and an image takes a while to draw.
GENERATION_TIMEOUT = httpx.Timeout(15.0, connect=3.0, read=300.0)
MAX_CONNECTIONS = 32


class ApiClient(ConversationCalls, KeyCalls):
    """One pooled httpx.Client for the web process; every method is one API call (the
    conversation calls are in chat/api_calls.py, the API key calls in keys/api_calls.py)."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        # As many connections as waitress has threads: a page never waits for a connection
        # that a slow generation holds.
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=16)
        self._http = httpx.Client(
            base_url=base_url, timeout=TIMEOUT, limits=limits, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def register(self, email: str, password: str, client_ip: str | None) -> UserJson:
        body = {"email": email, "password": password}
        headers = _forwarded(client_ip)  # email_taken counts against the address
        return cast(UserJson, self._send("POST", "/auth/register", json=body, headers=headers))

    def login(self, email: str, password: str, client_ip: str | None) -> TokenPairJson:
        body = {"email": email, "password": password}
        headers = _forwarded(client_ip)
        return cast(TokenPairJson, self._send("POST", "/auth/login", json=body, headers=headers))

    def refresh(self, refresh_token: str) -> TokenPairJson:
        body = {"refresh_token": refresh_token}
        return cast(TokenPairJson, self._send("POST", "/auth/refresh", json=body))

    def logout(self, refresh_token: str) -> None:
        self._send("POST", "/auth/logout", json={"refresh_token": refresh_token})

    def me(self, access_token: str) -> UserJson:
        return cast(UserJson, self._send("GET", "/auth/me", headers=_bearer(access_token)))

    def change_password(
        self, access_token: str, current_password: str, new_password: str, client_ip: str | None
    ) -> None:
        body = {"current_password": current_password, "new_password": new_password}
        headers = {**_bearer(access_token), **_forwarded(client_ip)}  # a throttled check
        self._send("PUT", "/auth/password", json=body, headers=headers)

    def models(self, access_token: str, output: str) -> list[ModelJson]:
        query = {"output": output}
        page = self._send("GET", "/models", headers=_bearer(access_token), params=query)
        return cast(list[ModelJson], page.get("data") or [])

    def generate_text(self, access_token: str, body: TextRequestJson) -> TextResultJson:
        return cast(TextResultJson, self._generate(access_token, "/generate/text", body))

    def stream_text(self, access_token: str, body: TextRequestJson) -> EventStream:
        """Open the stream: a failure before the first token raises here, as ApiProblem."""
        return self._event_stream(access_token, "/generate/text/stream", body)

    def generate_image(self, access_token: str, body: ImageRequestJson) -> ImageResultJson:
        return cast(ImageResultJson, self._generate(access_token, "/generate/image", body))

    def generations(
        self, access_token: str, *, kind: str | None, cursor: str | None, limit: int
    ) -> GenerationPageJson:
        params = {"limit": str(limit), "kind": kind, "cursor": cursor}
        query = {name: value for name, value in params.items() if value}
        page = self._send("GET", "/generations", headers=_bearer(access_token), params=query)
        return cast(GenerationPageJson, page)

    def generation(self, access_token: str, generation_id: str) -> GenerationJson:
        path = f"/generations/{quote(generation_id, safe='')}"
        return cast(GenerationJson, self._send("GET", path, headers=_bearer(access_token)))

    def delete_generation(self, access_token: str, generation_id: str) -> None:
        path = f"/generations/{quote(generation_id, safe='')}"
        self._send("DELETE", path, headers=_bearer(access_token))

    def media(
        self, access_token: str, media_id: str, ranged: Mapping[str, str] | None = None
    ) -> ByteStream:
        """`ranged`: the browser's Range and If-Range. A 206 part comes back as a stream, and
        so does 416 (its Content-Range says the size), not as ApiProblem."""
        response, stack = open_stream(
            self._http,
            "GET",
            f"/media/{quote(media_id, safe='')}",
            headers={**_bearer(access_token), **(ranged or {})},
            timeout=GENERATION_TIMEOUT,
            relayed={httpx.codes.REQUESTED_RANGE_NOT_SATISFIABLE},
        )
        return ByteStream(response, stack)

    # Video routes: a submit answers 202 with the job at once; video_job() follows it.
    def submit_video(self, access_token: str, body: VideoRequestJson) -> VideoJobJson:
        return cast(VideoJobJson, self._generate(access_token, "/generate/video", body))

    def submit_video_from_image(
        self, access_token: str, body: VideoRequestJson, image: Upload | None
    ) -> VideoJobJson:
        """With a file: multipart, the file read from its stream as it is sent. Without: JSON."""
        path = "/generate/video/from-image"
        if image is None:
            answer = self._generate(access_token, path, body)
        else:
            fields = {name: _form_value(value) for name, value in body.items()}
            answer = self._send(
                "POST",
                path,
                data=fields,
                files={"image": image},
                headers=_bearer(access_token),
                timeout=GENERATION_TIMEOUT,
            )
        return cast(VideoJobJson, answer)

    def video_job(self, access_token: str, job_id: str) -> VideoJobJson:
        path = f"/generate/video/{quote(job_id, safe='')}"
        return cast(VideoJobJson, self._send("GET", path, headers=_bearer(access_token)))

    # Admin routes (role `admin`; a user gets 403 `forbidden`).
    def admin_stats(self, access_token: str, since: str, until: str) -> StatsJson:
        query = {"since": since, "until": until}
        answer = self._send("GET", "/admin/stats", headers=_bearer(access_token), params=query)
        return cast(StatsJson, answer)

    def users(self, access_token: str, *, query: str, limit: int, offset: int) -> UserPageJson:
        params = {"limit": str(limit), "offset": str(offset), **({"q": query} if query else {})}
        page = self._send("GET", "/users", headers=_bearer(access_token), params=params)
        return cast(UserPageJson, page)

    def user(self, access_token: str, user_id: str) -> UserJson:
        path = f"/users/{quote(user_id, safe='')}"
        return cast(UserJson, self._send("GET", path, headers=_bearer(access_token)))

    def set_role(self, access_token: str, user_id: str, role: str) -> UserJson:
        path = f"/users/{quote(user_id, safe='')}/role"
        answer = self._send("PUT", path, json={"role": role}, headers=_bearer(access_token))
        return cast(UserJson, answer)

    def delete_user(self, access_token: str, user_id: str) -> None:
        self._send("DELETE", f"/users/{quote(user_id, safe='')}", headers=_bearer(access_token))

    def audit(self, access_token: str, *, limit: int, offset: int) -> AuditPageJson:
        params = {"limit": str(limit), "offset": str(offset)}
        page = self._send("GET", "/admin/audit", headers=_bearer(access_token), params=params)
        return cast(AuditPageJson, page)

    # Budgets: the signed-in user's, an admin's change, and the estimate before a generation.
    def my_budget(self, access_token: str) -> BudgetJson:
        return cast(BudgetJson, self._send("GET", "/me/budget", headers=_bearer(access_token)))

    def estimate(self, access_token: str, body: Mapping[str, Any]) -> EstimateJson:
        answer = self._send("POST", "/generate/estimate", json=body, headers=_bearer(access_token))
        return cast(EstimateJson, answer)

    def set_budget(
        self, access_token: str, user_id: str, limit: float | None, period: str
    ) -> BudgetJson:
        path = f"/users/{quote(user_id, safe='')}/budget"
        body = {"limit": limit, "period": period}
        return cast(BudgetJson, self._send("PUT", path, json=body, headers=_bearer(access_token)))

    def _generate(self, access_token: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A generation request: JSON in, and the long read timeout of a model at work."""
        headers = _bearer(access_token)
        return self._send("POST", path, json=body, headers=headers, timeout=GENERATION_TIMEOUT)

    def _event_stream(self, access_token: str, path: str, body: Any) -> EventStream:
        response, stack = open_stream(
            self._http,
            "POST",
            path,
            json_body=body,
            headers=_bearer(access_token),
            timeout=GENERATION_TIMEOUT,
        )
        return EventStream(response, stack)

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        data: dict[str, str] | None = None,
        files: dict[str, Upload] | None = None,
    ) -> dict[str, Any]:
        try:
            response = self._http.request(
                method,
                path,
                json=json,
                headers=headers,
                params=params,
                timeout=timeout,
                data=data,
                files=files,
            )
        except httpx.TransportError as exc:  # connect errors and timeouts alike
            raise ApiUnavailableError(type(exc).__name__) from exc
        if not response.is_success:
            raise ApiProblem.from_response(response)
        if response.status_code == httpx.codes.NO_CONTENT:
            return {}
        return json_object(response)


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _forwarded(client_ip: str | None) -> dict[str, str]:
    """The API trusts X-Forwarded-For from its configured proxies only, so its per-address
    throttle (security.md #7) sees the browser's address, not ours."""
    return {"X-Forwarded-For": client_ip} if client_ip else {}


def _form_value(value: object) -> str:
    """A multipart text field: booleans as the API's pydantic reads them."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
