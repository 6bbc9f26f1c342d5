"""Conversation routes: a user's chats, their messages, answers (plain and streamed), and
their export. Someone else's conversation is a 404, like one that does not exist."""

from __future__ import annotations

import inspect
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from application.conversations.create_conversation import CreateConversation
from application.conversations.delete_conversation import DeleteConversation
from application.conversations.exchange import Exchange
from application.conversations.export_conversation import FORMATS, ExportConversation
from application.conversations.get_conversation import GetConversation
from application.conversations.list_conversations import ListConversations
from application.conversations.regenerate_answer import RegenerateAnswer
from application.conversations.send_message import SendMessage
from application.conversations.stream_message import StreamMessage
from application.conversations.update_conversation import KEEP, UpdateConversation
from entrypoints.api.deps import CurrentCaller, Provided
from entrypoints.api.problems import AUTHED, UPSTREAM, documented, problem_responses
from entrypoints.api.schemas.conversations import (
    AnswerIn,
    ConversationDetailOut,
    ConversationIn,
    ConversationOut,
    ConversationPageOut,
    ConversationPatchIn,
    ExchangeOut,
    MessageIn,
)
from entrypoints.api.sse import started_stream, stream_response

router = APIRouter(tags=["conversations"])
WRITES = (*AUTHED, "not_found", "conflict")
ANSWERS = (*WRITES, *UPSTREAM, "budget_exceeded")


def _exchange_done(exchange: Exchange) -> object:
    """The `done` event of a streamed answer: both messages, as POST .../messages answers."""
    return ExchangeOut.of(exchange).model_dump(mode="json")


@router.post(
    "/conversations",
    status_code=status.HTTP_201_CREATED,
    **documented(CreateConversation, *AUTHED, "conflict"),
)
async def create_conversation(
    body: ConversationIn, caller: CurrentCaller, create: Provided[CreateConversation]
) -> ConversationOut:
    conversation = await create.execute(user_id=caller.user.id, **body.model_dump())
    return ConversationOut.of(conversation)


@router.get("/conversations", **documented(ListConversations, *AUTHED))
async def list_conversations(
    caller: CurrentCaller,
    conversations: Provided[ListConversations],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> ConversationPageOut:
    page = await conversations.execute(user_id=caller.user.id, limit=limit, cursor=cursor, query=q)
    return ConversationPageOut.of(page)


@router.get("/conversations/{conversation_id}", **documented(GetConversation, *AUTHED, "not_found"))
async def get_conversation(
    conversation_id: str, caller: CurrentCaller, get: Provided[GetConversation]
) -> ConversationDetailOut:
    found = await get.execute(user_id=caller.user.id, conversation_id=conversation_id)
    return ConversationDetailOut.of_whole(found)


@router.patch("/conversations/{conversation_id}", **documented(UpdateConversation, *WRITES))
async def update_conversation(
    conversation_id: str,
    body: ConversationPatchIn,
    caller: CurrentCaller,
    update: Provided[UpdateConversation],
) -> ConversationOut:
    conversation = await update.execute(
        user_id=caller.user.id,
        conversation_id=conversation_id,
        title=body.title,
        system=body.system if "system" in body.model_fields_set else KEEP,
        model=body.model,
    )
    return ConversationOut.of(conversation)


@router.delete(
    "/conversations/{conversation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(DeleteConversation, *WRITES),
)
async def delete_conversation(
    conversation_id: str, caller: CurrentCaller, delete: Provided[DeleteConversation]
) -> Response:
    await delete.execute(user_id=caller.user.id, conversation_id=conversation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/conversations/{conversation_id}/messages", **documented(SendMessage, *ANSWERS))
async def send_message(
    conversation_id: str, body: MessageIn, caller: CurrentCaller, send: Provided[SendMessage]
) -> ExchangeOut:
    exchange = await send.execute(
        user_id=caller.user.id, conversation_id=conversation_id, **body.model_dump()
    )
    return ExchangeOut.of(exchange)


@router.post(
    "/conversations/{conversation_id}/messages/stream",
    responses={
        **problem_responses(*ANSWERS),
        200: stream_response("an ExchangeOut"),
    },
    description=inspect.getdoc(StreamMessage),
    response_class=StreamingResponse,
)
async def stream_message(
    conversation_id: str, body: MessageIn, caller: CurrentCaller, stream: Provided[StreamMessage]
) -> StreamingResponse:
    pending = await stream.prepare(
        user_id=caller.user.id, conversation_id=conversation_id, **body.model_dump()
    )
    return StreamingResponse(
        await started_stream(stream.execute(pending), _exchange_done),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/conversations/{conversation_id}/regenerate", **documented(RegenerateAnswer, *ANSWERS)
)
async def regenerate_answer(
    conversation_id: str,
    body: AnswerIn,
    caller: CurrentCaller,
    regenerate: Provided[RegenerateAnswer],
) -> ExchangeOut:
    exchange = await regenerate.execute(
        user_id=caller.user.id, conversation_id=conversation_id, **body.model_dump()
    )
    return ExchangeOut.of(exchange)


@router.get(
    "/conversations/{conversation_id}/export",
    responses={
        **problem_responses(*AUTHED, "not_found"),
        200: {
            "content": {media_type: {} for media_type, _ in FORMATS.values()},
            "description": "the conversation as a file to download",
        },
    },
    description=inspect.getdoc(ExportConversation),
    response_class=Response,
)
async def export_conversation(
    conversation_id: str,
    caller: CurrentCaller,
    export: Provided[ExportConversation],
    format: Annotated[Literal["markdown", "json"], Query()] = "markdown",
) -> Response:
    exported = await export.execute(
        user_id=caller.user.id, conversation_id=conversation_id, format=format
    )
    return Response(
        exported.body,
        media_type=exported.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "Cache-Control": "no-store",
        },
    )
