"""Use case: rename a conversation, or change its system prompt or default model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from application.conversations.ownership import conversation_key, owned
from application.ports.system import Clock, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.conversations import Conversation, check_system, check_title
from domain.generations import check_model_id


class Keep(Enum):
    """`system=KEEP` leaves the system prompt as it is (None clears it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class UpdateConversation:
    """Only what is given changes; a title given once is kept from then on (the first
    message no longer names the conversation)."""

    uow: UnitOfWork
    clock: Clock
    locks: Locks

    async def execute(
        self,
        *,
        user_id: str,
        conversation_id: str,
        title: str | None = None,
        system: str | Keep | None = KEEP,
        model: str | None = None,
    ) -> Conversation:
        title = check_title(title) if title is not None else None
        system = system if isinstance(system, Keep) else check_system(system)
        model = check_model_id(model) if model is not None else None

        async def update() -> Conversation:
            async with self.uow as uow:
                conversation = await owned(uow, conversation_id, user_id)
                if title is None and model is None and isinstance(system, Keep):
                    return conversation
                updated = replace(
                    conversation,
                    title=title or conversation.title,
                    titled=conversation.titled or title is not None,
                    system=conversation.system if isinstance(system, Keep) else system,
                    model=model or conversation.model,
                    updated_at=self.clock.now(),
                )
                await uow.conversations.update(updated)
                await uow.commit()
            return updated

        async with self.locks.hold(conversation_key(conversation_id)):
            return await retry_on_conflict(update)
