"""HmacKeyDigester: key format, a keyed digest under a derived secret, compare_digest."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from adapters.security import api_keys
from adapters.security.api_keys import HmacKeyDigester

SECRET = "unit-test-signing-key-that-is-long-enough"


def test_keys_are_agk_and_32_random_url_safe_bytes() -> None:
    digester = HmacKeyDigester(secret=SECRET)
    made = {digester.new_key() for _ in range(50)}
    assert len(made) == 50
    for key in made:
        assert key.startswith("agk_") and len(key) == 4 + 43
        assert set(key[4:]) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


def test_the_digest_is_hmac_sha256_under_a_secret_derived_with_its_own_label() -> None:
    digester = HmacKeyDigester(secret=SECRET)
    key = "agk_example"
    derived = hmac.new(SECRET.encode(), b"allucanget api-key digest v1", hashlib.sha256).digest()
    assert digester.digest(key) == hmac.new(derived, key.encode(), hashlib.sha256).hexdigest()
    assert digester.digest(key) != hmac.new(SECRET.encode(), key.encode(), "sha256").hexdigest()
    assert digester.digest(key) != HmacKeyDigester(secret=SECRET + "x").digest(key)
    with pytest.raises(ValueError, match="32 bytes"):
        HmacKeyDigester(secret="short")


def test_digests_are_compared_with_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api_keys.hmac, "compare_digest", spy)
    digester = HmacKeyDigester(secret=SECRET)
    digest = digester.digest("agk_example")
    assert digester.matches(digest, digest)
    assert not digester.matches(digest, digester.digest("agk_other"))
    assert len(calls) == 2
