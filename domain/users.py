"""User, Role and the rules on email addresses and passwords."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidEmailError, LastAdminError, WeakPasswordError

# A pragmatic shape check; deliverability is the mailbox owner's business.
EMAIL_PATTERN = r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f.]+(\.[^@\s\x00-\x1f.]+)+$"
_EMAIL = re.compile(EMAIL_PATTERN)
MAX_EMAIL_LENGTH = 254


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    role: Role
    password_hash: str
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def normalize_email(raw: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    email = unicodedata.normalize("NFC", raw.strip()).lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise InvalidEmailError()
    return email


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """security.md #3 (ASVS 6.2): length bounds, no composition rules, no common passwords.

    The password is used exactly as typed: no trimming, truncation or case folding.
    """

    common: frozenset[str]
    min_length: int = 8
    max_length: int = 1024

    def check(self, password: str) -> None:
        if len(password) < self.min_length:
            raise WeakPasswordError(f"Use at least {self.min_length} characters.")
        if len(password) > self.max_length:
            raise WeakPasswordError(f"Use at most {self.max_length} characters.")
        if password.lower() in self.common:
            raise WeakPasswordError("This password is too common; choose another one.")


def ensure_an_admin_remains(target: User, new_role: Role | None, admins: int) -> None:
    """The last admin can be neither demoted nor deleted (`new_role` None means deletion)."""
    if target.is_admin and new_role is not Role.ADMIN and admins <= 1:
        raise LastAdminError()
