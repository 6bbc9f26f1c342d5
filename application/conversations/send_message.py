"""Use case: send a message in a conversation and wait for the whole answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

from application.conversations.exchange import AnswerOptions, Exchange, Exchanges


@dataclass(frozen=True, slots=True)
class SendMessage:
    """The user's message is stored first; the answer, whatever its outcome, is stored with
    its generation. A failed call stores a failed answer, then raises its error."""

    exchanges: Exchanges

    async def execute(
        self,
        *,
        user_id: str,
        conversation_id: str,
        content: str,
        **options: Unpack[AnswerOptions],
    ) -> Exchange:
        pending = await self.exchanges.ask(
            user_id=user_id,
            conversation_id=conversation_id,
            content=content,
            **options,
        )
        return await self.exchanges.complete(pending)
