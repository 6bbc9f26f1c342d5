"""SqlAuditLog: audit rows written in the transaction of the action they record."""

from __future__ import annotations

import logging

from adapters.sql.executor import Executor, to_db
from application.ports.system import AuditLog
from domain.audit import AuditEvent

log = logging.getLogger("allucanget.audit")
COLUMNS = "id, occurred_at, action, actor_id, target_id, outcome, detail"


class SqlAuditLog(AuditLog):
    def __init__(self, worker: Executor, pending: list[AuditEvent]) -> None:
        self._worker = worker
        self._pending = pending  # logged as JSON lines once the transaction commits

    async def add(self, event: AuditEvent) -> None:
        await self._worker.execute(
            f"INSERT INTO audit_events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                event.id,
                to_db(event.at),
                event.action.value,
                event.actor_id,
                event.target_id,
                event.outcome,
                event.detail,
            ],
        )
        self._pending.append(event)


def log_committed(events: list[AuditEvent]) -> None:
    for event in events:
        log.info(
            event.action.value,
            extra={
                "event": event.action.value,
                "at": event.at.isoformat(),
                "actor_id": event.actor_id,
                "target_id": event.target_id,
                "outcome": event.outcome,
            },
        )
