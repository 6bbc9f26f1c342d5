"""Errors raised by use cases; each maps to one row of the API's problem table."""

from __future__ import annotations

from domain.errors import Error


class InvalidCredentialsError(Error):
    code = "invalid_credentials"
    default_detail = "The email or password is not correct."


class NotAuthenticatedError(Error):
    code = "not_authenticated"
    default_detail = "Send a bearer access token."


class ForbiddenError(Error):
    code = "forbidden"
    default_detail = "You are not allowed to do this."


class RegistrationDisabledError(ForbiddenError):
    default_detail = "Registration is disabled on this server."


class NotFoundError(Error):
    code = "not_found"
    default_detail = "No such resource."


class EmailTakenError(Error):
    code = "email_taken"
    default_detail = "An account with this email already exists."


class ConflictError(Error):
    code = "conflict"
    default_detail = "The resource was changed concurrently; retry."


class RateLimitedError(Error):
    code = "rate_limited"

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = max(1, retry_after_s)
        super().__init__(f"Too many attempts. Try again in {self.retry_after_s} seconds.")
