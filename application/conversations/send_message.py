"""Use case: send a message in a conversation and wait for the whole answer."""

from __future__ import annotations

from dataclasses import dataclass

from application.conversations.exchange import Exchange, Exchanges


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
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Exchange:
        pending = await self.exchanges.ask(
            user_id=user_id,
            conversation_id=conversation_id,
            content=content,
            model=model,
            max_tokens=max_tokens,
            temperature=temperature,
        )
        return await self.exchanges.complete(pending)
