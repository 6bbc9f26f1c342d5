"""What can go wrong calling the API: a problem document (ApiProblem), or no usable answer."""

from __future__ import annotations

from typing import Any

import httpx


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
        reason: str = "",
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.retry_after = retry_after
        self.reason = reason  # upstream_unavailable: out_of_credits, rate_limited, …
        self.body = body or {}  # the whole document: a 402 names the limit, spent, resets_at

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiProblem:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        return cls.from_document(json_or_empty(response), response.status_code, retry_after)

    @classmethod
    def from_document(
        cls, body: dict[str, Any], status: int, retry_after: int | None = None
    ) -> ApiProblem:
        """From a problem document, e.g. the `error` event of a text stream."""
        errors = body.get("errors")
        return cls(
            status=status,
            code=str(body.get("code") or f"http_{status}"),
            title=str(body.get("title") or ""),
            detail=str(body.get("detail") or ""),
            errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
            retry_after=retry_after,
            reason=str(body.get("reason") or ""),
            body=body,
        )


def json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise ApiUnavailableError("the API answered something that is not JSON") from exc
    if not isinstance(body, dict):
        raise ApiUnavailableError("the API answered JSON that is not an object")
    return body


def json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        return json_object(response)
    except ApiUnavailableError:
        return {}


def _retry_after(value: str | None) -> int | None:
    # Our API sends delta-seconds; an HTTP-date is not worth parsing for a hint to a person.
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
