"""Use case: a new answer to the conversation's last user message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

from application.conversations.exchange import AnswerOptions, Exchange, Exchanges


@dataclass(frozen=True, slots=True)
class RegenerateAnswer:
    """The earlier answers to that message stay in the conversation, marked superseded (and
    are no longer sent as context); the new one is stored whatever its outcome."""

    exchanges: Exchanges

    async def execute(
        self, *, user_id: str, conversation_id: str, **options: Unpack[AnswerOptions]
    ) -> Exchange:
        pending = await self.exchanges.again(
            user_id=user_id, conversation_id=conversation_id, **options
        )
        return await self.exchanges.complete(pending)
