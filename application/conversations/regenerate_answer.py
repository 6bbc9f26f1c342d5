"""Use case: a new answer to the conversation's last user message."""

from __future__ import annotations

from dataclasses import dataclass

from application.conversations.exchange import Exchange, Exchanges


@dataclass(frozen=True, slots=True)
class RegenerateAnswer:
    """The earlier answers to that message stay in the conversation, marked superseded (and
    are no longer sent as context); the new one is stored whatever its outcome."""

    exchanges: Exchanges

    async def execute(
        self,
        *,
        user_id: str,
        conversation_id: str,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Exchange:
        pending = await self.exchanges.again(
            user_id=user_id,
            conversation_id=conversation_id,
            model=model,
            max_tokens=max_tokens,
            temperature=temperature,
        )
        return await self.exchanges.complete(pending)
