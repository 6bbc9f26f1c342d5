"""OpenRouterConnection: what both OpenRouter gateways build the same way: the key checked
once, the base URL, the headers every request carries, and the retry policy."""

from __future__ import annotations

from typing import TypedDict

import httpx

from adapters.openrouter.client import RetryPolicy
from adapters.openrouter.upstream import Upstream
from application.errors import ProviderNotConfiguredError


class ConnectionOptions(TypedDict, total=False):
    """The keyword options every gateway takes besides its own."""

    app_url: str | None
    app_title: str | None
    max_retries: int
    retry_base_s: float
    retry_max_wait_s: float


class OpenRouterConnection:
    """The key is sent only as a Bearer header to `base_url`; it is in no message, log or
    repr. Without a key the gateway is not configured, and no request is ever built."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str,
        *,
        app_url: str | None = None,
        app_title: str | None = None,
        max_retries: int = 2,
        retry_base_s: float = 0.5,
        retry_max_wait_s: float = 10,
    ) -> None:
        api_key = _header_safe(api_key.strip(), "The OpenRouter API key")
        self._client, self._base_url, self._secret = client, base_url.rstrip("/"), api_key
        self._auth = {"Authorization": f"Bearer {api_key}"}
        self._headers = self._auth | _attribution(app_url, app_title)
        self._retry = RetryPolicy(max_retries, retry_base_s, retry_max_wait_s)

    @property
    def configured(self) -> bool:
        return bool(self._secret)

    def __repr__(self) -> str:
        configured = self.configured
        return f"{type(self).__name__}(base_url={self._base_url!r}, configured={configured})"

    def _upstream(self, policy: RetryPolicy) -> Upstream | None:
        """Requests to the base URL with the key, retried by `policy`; None without a key."""
        if not self.configured:
            return None
        return Upstream(self._client, self._base_url, self._headers, policy, self._secret)

    @staticmethod
    def _configured(upstream: Upstream | None) -> Upstream:
        if upstream is None:
            raise ProviderNotConfiguredError()
        return upstream


def _attribution(app_url: str | None, app_title: str | None) -> dict[str, str]:
    """Rankings only, never behaviour (openrouter.md §1), so a value that cannot be sent as a
    header is left out rather than failing every call; `X-Title` is the older name."""
    url, title = (
        value if value and value.isascii() and value.isprintable() else None
        for value in (app_url, app_title)
    )
    headers = {"HTTP-Referer": url} if url else {}
    if title:
        headers |= {"X-OpenRouter-Title": title, "X-Title": title}
    return headers


def _header_safe(value: str, what: str) -> str:
    """A key with a space, a line break or non-ASCII would fail (or echo the key in an
    h11 error) on every call; refuse it once, at start-up, without repeating it."""
    if value and not all("!" <= char <= "~" for char in value):
        raise ValueError(f"{what} contains characters that cannot be sent in a header.")
    return value
