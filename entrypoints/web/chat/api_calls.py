"""The conversation routes of the API client (ApiClient takes them in as a base class)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import quote

from entrypoints.web.chat.types import (
    ConversationDetailJson,
    ConversationJson,
    ConversationPageJson,
    ConversationRequestJson,
    MessageRequestJson,
    RegenerateRequestJson,
    SentJson,
)
from entrypoints.web.streams import EventStream


class ConversationCalls:
    """Each method is one API call; ApiClient supplies the three below."""

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _generate(self, access_token: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _event_stream(self, access_token: str, path: str, body: Any) -> EventStream:
        raise NotImplementedError

    def conversations(
        self, access_token: str, *, query: str = "", cursor: str | None = None, limit: int = 50
    ) -> ConversationPageJson:
        params = {"limit": str(limit), "q": query, "cursor": cursor or ""}
        chosen = {name: value for name, value in params.items() if value}
        page = self._send("GET", "/conversations", headers=_bearer(access_token), params=chosen)
        return cast(ConversationPageJson, page)

    def create_conversation(
        self, access_token: str, body: ConversationRequestJson
    ) -> ConversationJson:
        answer = self._send("POST", "/conversations", json=body, headers=_bearer(access_token))
        return cast(ConversationJson, answer)

    def conversation(self, access_token: str, conversation_id: str) -> ConversationDetailJson:
        answer = self._send("GET", _path(conversation_id), headers=_bearer(access_token))
        return cast(ConversationDetailJson, answer)

    def update_conversation(
        self, access_token: str, conversation_id: str, body: ConversationRequestJson
    ) -> ConversationJson:
        path = _path(conversation_id)
        answer = self._send("PATCH", path, json=body, headers=_bearer(access_token))
        return cast(ConversationJson, answer)

    def delete_conversation(self, access_token: str, conversation_id: str) -> None:
        self._send("DELETE", _path(conversation_id), headers=_bearer(access_token))

    def send_message(
        self, access_token: str, conversation_id: str, body: MessageRequestJson
    ) -> SentJson:
        path = _path(conversation_id, "messages")
        return cast(SentJson, self._generate(access_token, path, body))

    def stream_message(
        self, access_token: str, conversation_id: str, body: MessageRequestJson
    ) -> EventStream:
        """Open the stream: a failure before the first token raises here, as ApiProblem."""
        path = _path(conversation_id, "messages/stream")
        return self._event_stream(access_token, path, body)

    def regenerate(
        self, access_token: str, conversation_id: str, body: RegenerateRequestJson
    ) -> SentJson:
        path = _path(conversation_id, "regenerate")
        return cast(SentJson, self._generate(access_token, path, body))


def _path(conversation_id: str, rest: str = "") -> str:
    path = f"/conversations/{quote(conversation_id, safe='')}"
    return f"{path}/{rest}" if rest else path


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
