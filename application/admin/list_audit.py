"""Use case: the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.admin import AuditReader, Page
from domain.audit import AuditEvent

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class ListAudit:
    """Admin actions and security events, newest first."""

    reader: AuditReader

    async def execute(self, *, limit: int, offset: int) -> Page[AuditEvent]:
        return await self.reader.page(limit=max(1, min(limit, MAX_PAGE)), offset=max(0, offset))
