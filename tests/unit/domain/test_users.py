"""Domain rules on emails and passwords."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidEmailError, WeakPasswordError
from domain.users import PasswordPolicy, normalize_email

POLICY = PasswordPolicy(common=frozenset({"password1234"}))


def test_emails_compare_without_case_and_surrounding_spaces() -> None:
    assert normalize_email("  Ada@Example.COM ") == "ada@example.com"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "a b@example.com",
        "ada@example",
        "ada@@example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_malformed_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmailError):
        normalize_email(raw)


@pytest.mark.parametrize("password", ["short", "x" * 1025, "password1234", "PASSWORD1234"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPasswordError):
        POLICY.check(password)


def test_a_64_character_password_and_unicode_are_accepted() -> None:
    POLICY.check("a" * 64)
    POLICY.check("b" * 1024)
    POLICY.check("ünïcødé 🔑 pässwörd")


@given(st.text(min_size=8, max_size=80).filter(lambda p: p.lower() != "password1234"))
def test_any_password_within_bounds_is_accepted_whatever_its_composition(password: str) -> None:
    POLICY.check(password)
