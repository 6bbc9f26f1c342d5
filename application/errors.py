"""Errors raised by use cases (and by the adapters behind their ports); each maps to one
row of the API's problem table. Errors of the domain's own rules are in domain/errors.py."""

from __future__ import annotations

from domain.errors import Error, TokenInvalidError

# Who is asking


class InvalidCredentialsError(Error):
    """Sign-in or password change with a wrong email or password (401)."""

    code = "invalid_credentials"
    default_detail = "The email or password is not correct."


class NotAuthenticatedError(Error):
    code = "not_authenticated"
    default_detail = "Send a bearer access token."


class ForbiddenError(Error):
    """Signed in, but not allowed: an admin route for a user (403)."""

    code = "forbidden"
    default_detail = "You are not allowed to do this."


class RegistrationDisabledError(ForbiddenError):
    default_detail = "Registration is disabled on this server."


class RateLimitedError(Error):
    """Past the sign-in limits of an account or a client address (429, Retry-After)."""

    code = "rate_limited"

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = max(1, retry_after_s)
        super().__init__(f"Too many attempts. Try again in {self.retry_after_s} seconds.")


class OwnerDeletedError(TokenInvalidError):
    """The user was deleted while their request ran: nothing of it is written."""

    default_detail = "The account behind this token no longer exists; nothing was kept."


# What is asked for


class NotFoundError(Error):
    """Unknown, or someone else's: the two are not told apart (404, security.md #28)."""

    code = "not_found"
    default_detail = "No such resource."


class ModelNotFoundError(NotFoundError):
    """A model id that is not in the catalogue (404 on the OpenAI-compatible API)."""

    code = "model_not_found"
    default_detail = "No such model."


class EmailTakenError(Error):
    code = "email_taken"
    default_detail = "An account with this email already exists."


class ConflictError(Error):
    """A concurrent writer won; use cases retry it (application.retry) before it is a 409."""

    code = "conflict"
    default_detail = "The resource was changed concurrently; retry."


class InvalidRequestError(Error):
    code = "validation_error"


class InvalidCursorError(Error):
    """A history cursor that this API did not hand out (422)."""

    code = "validation_error"
    default_detail = "The cursor is not one this API handed out."


# What is sent


class InvalidImageError(Error):
    """An upload or a model's image that is not really a PNG, JPEG or WebP (422)."""

    code = "invalid_image"
    default_detail = "The file is not a PNG, JPEG or WebP image we can use."


class InvalidUrlError(Error):
    """An image URL that is not https to a public address (422, security.md #38)."""

    code = "invalid_url"
    default_detail = "Only https URLs to public addresses are accepted."


class PayloadTooLargeError(Error):
    code = "payload_too_large"
    default_detail = "The upload is larger than this server accepts."


class UnsupportedMediaTypeError(Error):
    code = "unsupported_media_type"
    default_detail = "Send multipart/form-data or application/json."


# The provider and the server


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


class StreamCancelledError(Error):
    """The client left a streamed answer before its end; the partial text is recorded."""

    code = "stream_cancelled"
    default_detail = "The client went away before the answer was complete."


class StorageUnavailableError(Error):
    """The media store cannot write (disk full or read-only): no file is kept (503)."""

    code = "storage_unavailable"
    default_detail = "The server cannot store files right now (disk full or read-only); try later."
