"""Use case: delete a conversation with its messages."""

from __future__ import annotations

from dataclasses import dataclass

from application.conversations.ownership import conversation_key, owned
from application.ports.system import Locks, UnitOfWork
from application.retry import retry_on_conflict


@dataclass(frozen=True, slots=True)
class DeleteConversation:
    """The messages go; the generations they made stay in the history, the statistics and
    the audit of costs, like any other generation."""

    uow: UnitOfWork
    locks: Locks

    async def execute(self, *, user_id: str, conversation_id: str) -> None:
        async with self.locks.hold(conversation_key(conversation_id)):
            await retry_on_conflict(lambda: self._delete(user_id, conversation_id))

    async def _delete(self, user_id: str, conversation_id: str) -> None:
        async with self.uow as uow:
            await owned(uow, conversation_id, user_id)
            await uow.conversations.delete(conversation_id)
            await uow.commit()
