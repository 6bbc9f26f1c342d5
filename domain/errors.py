"""The one error base of the system; each error carries the contract's stable `code`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar


class Error(Exception):
    code: ClassVar[str] = "error"
    default_detail: ClassVar[str] = ""

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail if detail is not None else self.default_detail
        super().__init__(self.detail or self.code)


class TokenInvalidError(Error):
    code = "token_invalid"
    default_detail = "The token is malformed, has a bad signature or the wrong type."


class TokenExpiredError(Error):
    code = "token_expired"
    default_detail = "Sign in again or refresh the token."


class TokenRevokedError(Error):
    code = "token_revoked"
    default_detail = "This session was signed out. Sign in again."


class TokenReusedError(Error):
    code = "token_reused"
    default_detail = "This refresh token was already used; the session was closed for safety."


class WeakPasswordError(Error):
    code = "weak_password"


class InvalidEmailError(Error):
    code = "invalid_email"
    default_detail = "Enter a valid email address."


class LastAdminError(Error):
    code = "last_admin"
    default_detail = "At least one admin must remain."


class InvalidGenerationRequestError(Error):
    """A prompt, model id or option that no model could be asked with."""

    code = "validation_error"


class InvalidVideoOptionsError(Error):
    """A video option the chosen model does not offer."""

    code = "validation_error"


class VideoTransitionError(Error):
    """A move backwards, or out of a finished state: refused, whoever asks."""

    code = "conflict"


class InvalidBudgetError(Error):
    code = "validation_error"
    default_detail = "A budget is an amount of USD and a period (day, week, month or none)."


class PriceUnknownError(Error):
    """The model has no price we can bound, and the user's budget is limited (422)."""

    code = "price_unknown"
    default_detail = "This model has no known price, so it cannot be used within a budget."


class BudgetExceededError(Error):
    """The call could cost more than is left of the budget this period (402)."""

    code = "budget_exceeded"

    def __init__(
        self, *, limit: Decimal, spent: Decimal, reserved: Decimal, resets_at: datetime | None
    ) -> None:
        self.limit = limit
        self.spent = spent
        self.reserved = reserved
        self.resets_at = resets_at
        when = f" It resets at {resets_at.isoformat()}." if resets_at else ""
        super().__init__(
            f"This request could cost more than is left of your budget of {limit} USD "
            f"({spent} USD spent, {reserved} USD reserved).{when}"
        )
