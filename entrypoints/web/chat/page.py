"""The chat page as HTML: the conversation list beside one conversation and its composer."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.chat.forms import MessageForm, NewChatForm, RegenerateForm, RenameForm
from entrypoints.web.chat.problems import chat_message
from entrypoints.web.chat.types import ConversationDetailJson, ConversationJson, MessageJson
from entrypoints.web.generation.model_picker import load_models
from entrypoints.web.generation.problems import SERVICE_DOWN
from entrypoints.web.lookup import call_or_404
from entrypoints.web.session import api, call_api

MAX_QUERY = 200
LIST_SIZE = 50


def search_query() -> str:
    return request.args.get("q", "").strip()[:MAX_QUERY]


def chat_page(
    conversation_id: str | None = None,
    *,
    form: MessageForm | None = None,
    error: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    """The list (searched with ?q=), and the conversation named, if any, with a composer
    that keeps whatever was typed when the page comes back with an error."""
    query = search_query()
    listed, list_error = _listed(query)
    conversation: ConversationDetailJson | None = None
    if conversation_id is not None:
        conversation = call_or_404(lambda token: api().conversation(token, conversation_id))
    form = form or MessageForm(formdata=None)
    picker = load_models("text")
    if not form.model.data:
        form.model.data = _preferred_model(
            conversation, picker.options[0].id if picker.options else ""
        )
    messages = conversation["messages"] if conversation else []
    context: dict[str, Any] = {
        "conversations": listed,
        "list_error": list_error,
        "query": query,
        "conversation": conversation,
        "messages": messages,
        "last_answer": _last_answer(messages),
        "form": form,
        "picker": picker,
        "error": error,
        "new_form": NewChatForm(formdata=None),
        "rename_form": RenameForm(formdata=None, data=_title(conversation)),
        "regenerate_form": RegenerateForm(formdata=None, data={"model": form.model.data}),
    }
    return render_template("chat/index.html", **context), status


def _listed(query: str) -> tuple[list[ConversationJson], str]:
    try:
        page = call_api(lambda token: api().conversations(token, query=query, limit=LIST_SIZE))
    except ApiProblem as problem:
        return [], chat_message(problem)
    except ApiUnavailableError:
        return [], SERVICE_DOWN
    return page.get("data") or [], ""


def _preferred_model(conversation: ConversationDetailJson | None, fallback: str) -> str:
    """The model of the latest answer, else the conversation's, else the list's first."""
    if conversation is not None:
        for message in reversed(conversation["messages"]):
            if message["role"] == "assistant" and message.get("model"):
                return str(message["model"])
        if conversation.get("model"):
            return str(conversation["model"])
    return fallback


def _last_answer(messages: list[MessageJson]) -> MessageJson | None:
    """The answer copy and regenerate act on: the last message, when it is an answer."""
    current = [m for m in messages if not m.get("superseded")]
    return current[-1] if current and current[-1]["role"] == "assistant" else None


def _title(conversation: ConversationDetailJson | None) -> dict[str, str]:
    return {"title": (conversation["title"] if conversation else None) or ""}
