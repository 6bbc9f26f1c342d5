"""OpenRouterVideoGateway: the VideoGateway port over OpenRouter's video API (§4)."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any, Unpack
from urllib.parse import quote, urljoin, urlsplit

import httpx

from adapters.openrouter.client import RetryPolicy
from adapters.openrouter.connection import ConnectionOptions, OpenRouterConnection
from adapters.openrouter.errors import bad_response, transport_error, upstream_error
from adapters.openrouter.payloads import decode_json
from adapters.openrouter.spool import spool_body
from adapters.openrouter.upstream import MAX_ERROR_BODY, Upstream, deadline, off_loop, read_body
from adapters.openrouter.video_payloads import (
    origin_of,
    poll_of,
    submit_body,
    submitted_of,
    video_models,
)
from application.errors import UpstreamUnavailableError
from application.ports.generation import ModelInfo
from application.ports.video import (
    DownloadedVideo,
    SubmittedVideo,
    VideoGateway,
    VideoPoll,
    VideoRequest,
)
from domain.errors import Error

log = logging.getLogger("allucanget.openrouter")
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_VIDEO_BYTES = 256 * 1024 * 1024
MAX_REDIRECTS = 3
GONE = "OpenRouter no longer knows this video job."


class OpenRouterVideoGateway(OpenRouterConnection, VideoGateway):
    """Submits, polls and downloads are each sent once: the submit because a repeat could
    bill a second job (openrouter.md §8.5), polls and downloads because the follower
    retries them with backoff. The key goes only to the base URL's origin, never through
    a redirect to another one (security.md #16, openrouter.md §8.10)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str,
        *,
        max_video_bytes: int = MAX_VIDEO_BYTES,
        spool_dir: Path | None = None,
        deadline_s: float = 300,
        download_deadline_s: float = 900,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(client, base_url, api_key, **options)
        self._origin, self._max_video = origin_of(self._base_url), max_video_bytes
        self._spool = spool_dir or Path(tempfile.gettempdir())
        self._deadline_s, self._download_deadline_s = deadline_s, download_deadline_s
        self._once = self._upstream(RetryPolicy(0))
        self._retrying = self._upstream(self._retry)

    async def submit_video(self, request: VideoRequest) -> SubmittedVideo:
        payload = await self._json(
            self._configured(self._once), "POST", "/videos", submit_body(request)
        )
        return submitted_of(payload, self._base_url)

    async def poll_video(self, upstream_id: str, polling_url: str | None) -> VideoPoll:
        """The `polling_url` when it lies under the base URL, else `/videos/{id}`."""
        path = self._path_under_base(polling_url) or f"/videos/{quote(upstream_id, safe='')}"
        try:
            payload = await self._json(self._configured(self._once), "GET", path)
        except UpstreamUnavailableError as exc:
            if exc.reason == "bad_request":  # 404 (or another 4xx): the job is not there
                raise UpstreamUnavailableError(GONE, reason="bad_request") from exc
            raise
        return poll_of(payload, self._secret)

    async def download_video(
        self, upstream_id: str, content_urls: tuple[str, ...]
    ) -> DownloadedVideo:
        """The first `unsigned_urls` entry, else the content endpoint. Redirects are followed
        by hand, at most three, each hop getting the key only if it is OpenRouter's. The body
        goes to a temporary file in the spool folder, all of it within the download deadline."""
        self._configured(self._once)
        url = (
            content_urls[0]
            if content_urls
            else (f"{self._base_url}/videos/{quote(upstream_id, safe='')}/content?index=0")
        )
        async with deadline(self._download_deadline_s):
            for _ in range(MAX_REDIRECTS + 1):
                response = await self._get_content(url)
                if not response.is_redirect:
                    return await spool_body(response, self._max_video, self._spool)
                location = response.headers.get("location", "")
                await response.aclose()
                url = urljoin(url, location)
        raise bad_response("The video download was redirected too many times.")

    async def list_video_models(self) -> list[ModelInfo]:
        return video_models(
            await self._json(self._configured(self._retrying), "GET", "/videos/models")
        )

    async def _json(
        self, upstream: Upstream, method: str, path: str, body: Any = None
    ) -> dict[str, Any]:
        async with deadline(self._deadline_s):
            response = await upstream.open(method, path, body=body)
            raw = await read_body(response, MAX_JSON_BYTES)
        return await off_loop(raw, decode_json)

    def _path_under_base(self, url: str | None) -> str | None:
        if url and url.startswith(self._base_url + "/"):
            return url[len(self._base_url) :]
        return None

    def _trusted(self, url: str) -> bool:
        return origin_of(url) == self._origin

    async def _get_content(self, url: str) -> httpx.Response:
        scheme, host, _ = origin_of(url)
        if not host or scheme not in ("https", self._origin[0]):  # no downgrade, no file:
            raise bad_response("OpenRouter pointed to a video location this server refuses.")
        trusted = self._trusted(url)
        request = self._client.build_request("GET", url, headers=self._headers if trusted else {})
        started = time.monotonic()
        where = urlsplit(url).path if trusted else f"{host}{urlsplit(url).path}"
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            _log(where, type(exc).__name__, started)
            raise transport_error(exc) from exc
        _log(where, str(response.status_code), started)
        if response.is_success or response.is_redirect:
            return response
        status, payload = response.status_code, await _error_payload(response)
        if not trusted:
            raise bad_response(f"The video host answered {status}.")
        raise upstream_error(status, payload, secret=self._secret)


async def _error_payload(response: httpx.Response) -> Any:
    try:
        return json.loads(await read_body(response, MAX_ERROR_BODY))
    except (Error, ValueError):
        return None


def _log(where: str, status: str, started: float) -> None:
    duration_ms = round((time.monotonic() - started) * 1000)
    log.info("openrouter GET %s status=%s duration_ms=%d", where, status, duration_ms)
