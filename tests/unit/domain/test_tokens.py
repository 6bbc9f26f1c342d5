"""Domain rules of refresh-token families."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import TokenExpiredError, TokenRevokedError
from domain.tokens import RefreshToken, RefreshUse, classify_use, start_family

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GRACE = timedelta(seconds=10)


def family_of_two(rotated_at: datetime = NOW) -> tuple[RefreshToken, RefreshToken]:
    first = start_family(jti="a", family_id="f", user_id="u", now=NOW, lifetime=timedelta(days=14))
    second = first.successor("b", rotated_at)
    return first.retired("b"), second


def test_a_live_token_rotates() -> None:
    first, _ = family_of_two()
    live = start_family(jti="a", family_id="f", user_id="u", now=NOW, lifetime=timedelta(days=1))
    assert classify_use(live, None, NOW, GRACE) is RefreshUse.ROTATE
    assert first.replaced_by == "b"


def test_the_previous_token_within_grace_is_a_replay() -> None:
    first, second = family_of_two()
    assert classify_use(first, second, NOW + timedelta(seconds=10), GRACE) is RefreshUse.REPLAY


def test_the_previous_token_after_grace_is_reuse() -> None:
    first, second = family_of_two()
    assert classify_use(first, second, NOW + timedelta(seconds=11), GRACE) is RefreshUse.REUSE


def test_a_token_two_rotations_back_is_reuse_even_within_grace() -> None:
    first, second = family_of_two()
    second = second.retired("c")
    assert classify_use(first, second, NOW, GRACE) is RefreshUse.REUSE


def test_zero_grace_is_strict_reuse_detection() -> None:
    first, second = family_of_two()
    assert classify_use(first, second, NOW, timedelta(0)) is RefreshUse.REUSE


def test_a_revoked_token_is_refused() -> None:
    first, _ = family_of_two()
    with pytest.raises(TokenRevokedError):
        classify_use(replace(first, revoked_at=NOW), None, NOW, GRACE)


@given(st.integers(min_value=0, max_value=60 * 24 * 30))
def test_rotation_never_extends_the_family_lifetime(minutes: int) -> None:
    first = start_family(jti="a", family_id="f", user_id="u", now=NOW, lifetime=timedelta(days=14))
    later = first.successor("b", NOW + timedelta(minutes=minutes))
    assert later.expires_at == first.expires_at
    if NOW + timedelta(minutes=minutes) >= first.expires_at:
        with pytest.raises(TokenExpiredError):
            classify_use(later, None, NOW + timedelta(minutes=minutes), GRACE)
