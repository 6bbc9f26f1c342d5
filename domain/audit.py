"""Audit events: who did what to whom, when, and how it ended (OWASP logging vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    ROLE_CHANGE = "authz_change"
    USER_DELETED = "user_deleted"
    ADMIN_BOOTSTRAP = "admin_bootstrap"
    LOGIN_LOCK = "authn_login_lock"
    TOKEN_REUSE = "authn_token_reuse"  # noqa: S105 (an event name)
    BUDGET_CHANGE = "budget_change"
    API_KEY_CREATED = "api_key_created"
    API_KEY_REVOKED = "api_key_revoked"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: str
    at: datetime
    action: AuditAction
    actor_id: str | None
    target_id: str | None
    outcome: str
    detail: str | None = None
