"""Use case: start a conversation."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import OwnerDeletedError
from application.locks import owner_key
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from domain.conversations import DEFAULT_TITLE, Conversation, check_system, check_title
from domain.generations import check_model_id

DEFAULT_MODEL = "openai/gpt-4o-mini"


@dataclass(frozen=True, slots=True)
class CreateConversation:
    """A new, empty conversation. Without a title it is named by its first message; without
    a model it uses `default_model`."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    locks: Locks
    default_model: str = DEFAULT_MODEL

    async def execute(
        self,
        *,
        user_id: str,
        title: str | None = None,
        system: str | None = None,
        model: str | None = None,
    ) -> Conversation:
        now = self.clock.now()
        conversation = Conversation(
            id=self.ids.new_id(),
            user_id=user_id,
            title=check_title(title) if title is not None else DEFAULT_TITLE,
            model=check_model_id(model or self.default_model),
            created_at=now,
            updated_at=now,
            system=check_system(system),
            titled=title is not None,
        )
        async with self.locks.hold(owner_key(user_id)), self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise OwnerDeletedError()
            await uow.conversations.add(conversation)
            await uow.commit()
        return conversation
