"""Use case: send a message in a conversation and pass the answer on as it is written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Unpack

from application.conversations.exchange import AnswerOptions, Exchange, Exchanges, Pending
from application.generation.text_stream import kept_stream
from application.ports.generation import TextDelta


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """`prepare` validates and stores the user's message before the response starts (bad
    input is a plain 422); `execute` yields the deltas, then the stored Exchange. However
    the stream ends, the answer is stored once, whole: completed; failed with the text so
    far (then the error is raised); or cancelled with the text so far when the client left."""

    exchanges: Exchanges

    async def prepare(
        self,
        *,
        user_id: str,
        conversation_id: str,
        content: str,
        **options: Unpack[AnswerOptions],
    ) -> Pending:
        return await self.exchanges.ask(
            user_id=user_id,
            conversation_id=conversation_id,
            content=content,
            **options,
        )

    def execute(self, pending: Pending) -> AsyncIterator[TextDelta | Exchange]:
        exchanges = self.exchanges
        answer = partial(exchanges.answer, pending)
        return kept_stream(
            exchanges.gateway, exchanges.clock, pending.request, pending.generation, answer
        )
