"""HmacKeyDigester: API keys as HMAC-SHA-256 under a secret derived from the signing key."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from application.ports.api_keys import KeyDigester
from domain.api_keys import KEY_PREFIX

# The digest key is derived from the JWT signing secret (ALLUCANGET_SECRET_KEY or the
# generated one) with HMAC under its own label, so one secret serves both uses without the
# JWT key ever keying a digest directly (security.md, API keys).
DERIVATION_LABEL = b"allucanget api-key digest v1"
RANDOM_BYTES = 32


class HmacKeyDigester(KeyDigester):
    def __init__(self, *, secret: str) -> None:
        if len(secret.encode()) < 32:
            raise ValueError("the server secret must be at least 32 bytes")
        self._key = hmac.new(secret.encode(), DERIVATION_LABEL, hashlib.sha256).digest()

    def new_key(self) -> str:
        return KEY_PREFIX + secrets.token_urlsafe(RANDOM_BYTES)

    def digest(self, key: str) -> str:
        return hmac.new(self._key, key.encode(), hashlib.sha256).hexdigest()

    def matches(self, digest: str, expected: str) -> bool:
        return hmac.compare_digest(digest.encode(), expected.encode())
