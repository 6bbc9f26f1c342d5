"""Revoking keys inside a caller's transaction, each revocation audited."""

from __future__ import annotations

from datetime import datetime

from application.ports.system import IdGenerator, UnitOfWork
from domain.api_keys import ApiKey
from domain.audit import AuditAction, AuditEvent


async def audit_revocation(
    uow: UnitOfWork, ids: IdGenerator, key: ApiKey, *, actor_id: str, now: datetime, reason: str
) -> None:
    event = AuditEvent(
        ids.new_id(),
        now,
        AuditAction.API_KEY_REVOKED,
        actor_id,
        key.user_id,
        "ok",
        f"{key.id} {key.prefix} ({reason})",
    )
    await uow.audit.add(event)


async def revoke_all_keys(
    uow: UnitOfWork, ids: IdGenerator, user_id: str, *, actor_id: str, now: datetime, reason: str
) -> int:
    """Revoke every key of the user (password change, demotion); returns how many."""
    revoked = await uow.api_keys.revoke_for_user(user_id, now)
    for key in revoked:
        await audit_revocation(uow, ids, key, actor_id=actor_id, now=now, reason=reason)
    return len(revoked)
