"""Errors raised by use cases; each maps to one row of the API's problem table."""

from __future__ import annotations

from domain.errors import Error, TokenInvalidError


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


class ProviderNotConfiguredError(Error):
    code = "provider_not_configured"
    default_detail = "No OpenRouter key is configured on this server; ask an admin."


class UpstreamRejectedError(Error):
    """OpenRouter or the model refused the content (moderation, policy)."""

    code = "upstream_rejected"
    default_detail = "The model provider refused this request under its content policy."


class UpstreamUnavailableError(Error):
    """OpenRouter failed, was out of credits, rate limited us, or answered nonsense.
    `reason` tells which, for people: out_of_credits, rate_limited, provider_down,
    bad_response, bad_request."""

    code = "upstream_unavailable"
    default_detail = "The model provider is unavailable right now; try again shortly."

    def __init__(
        self, detail: str | None = None, *, reason: str = "provider_down", retry_after_s: int = 0
    ) -> None:
        self.reason = reason
        self.retry_after_s = retry_after_s
        super().__init__(detail)


class UpstreamTimeoutError(Error):
    code = "upstream_timeout"
    default_detail = "The model provider did not answer in time."


class InvalidImageError(Error):
    code = "invalid_image"
    default_detail = "The file is not a PNG, JPEG or WebP image we can use."


class InvalidRequestError(Error):
    code = "validation_error"


class PayloadTooLargeError(Error):
    code = "payload_too_large"
    default_detail = "The upload is larger than this server accepts."


class UnsupportedMediaTypeError(Error):
    code = "unsupported_media_type"
    default_detail = "Send multipart/form-data or application/json."


class InvalidUrlError(Error):
    code = "invalid_url"
    default_detail = "Only https URLs to public addresses are accepted."


class StorageUnavailableError(Error):
    code = "storage_unavailable"
    default_detail = "The server cannot store files right now (disk full or read-only); try later."


class OwnerDeletedError(TokenInvalidError):
    """The user was deleted while their request ran: nothing of it is written."""

    default_detail = "The account behind this token no longer exists; nothing was kept."


class InvalidCursorError(Error):
    code = "validation_error"
    default_detail = "The cursor is not one this API handed out."


class StreamCancelledError(Error):
    code = "stream_cancelled"
    default_detail = "The client went away before the answer was complete."
