"""The conversation rules: the title, the validation and the context trimming."""

from __future__ import annotations

import pytest

from domain.conversations import (
    AUTO_TITLE_CHARS,
    DEFAULT_TITLE,
    ChatTurn,
    InvalidConversationError,
    Role,
    check_content,
    check_system,
    check_title,
    estimate_tokens,
    fit_context,
    title_from,
)
from domain.generations import MAX_PROMPT_CHARS


def turns(*contents: str) -> list[ChatTurn]:
    roles = (Role.USER, Role.ASSISTANT)
    return [ChatTurn(roles[index % 2], text) for index, text in enumerate(contents)]


def test_a_short_first_message_is_the_title_with_its_whitespace_collapsed() -> None:
    assert title_from("  What is   a\nmonad? ") == "What is a monad?"
    assert title_from("   ") == DEFAULT_TITLE


def test_a_long_first_message_is_cut_at_a_word_boundary_within_sixty_characters() -> None:
    text = "Explain the difference between optimistic and pessimistic concurrency control"
    title = title_from(text)
    assert len(title) <= AUTO_TITLE_CHARS
    assert title.endswith("…")
    assert text.startswith(title.removesuffix("…"))
    assert text[len(title) - 1] == " "  # the cut falls between two words


def test_a_title_of_one_enormous_word_is_cut_inside_it() -> None:
    title = title_from("x" * 500)
    assert title == "x" * (AUTO_TITLE_CHARS - 1) + "…"


@pytest.mark.parametrize("content", ["", "   ", "\n\t", "x" * (MAX_PROMPT_CHARS + 1)])
def test_an_empty_or_oversized_message_is_a_validation_error(content: str) -> None:
    with pytest.raises(InvalidConversationError) as caught:
        check_content(content)
    assert caught.value.code == "validation_error"


def test_titles_and_system_prompts_are_checked() -> None:
    assert check_title("  My   chat ") == "My chat"
    assert check_system("  ") is None
    for bad in ("", "x" * 201):
        with pytest.raises(InvalidConversationError):
            check_title(bad)
    with pytest.raises(InvalidConversationError):
        check_system("x" * (MAX_PROMPT_CHARS + 1))


def test_the_estimate_is_the_utf8_bytes_plus_the_message_overhead() -> None:
    assert estimate_tokens("abc") == 3 + 4
    assert estimate_tokens("é") == 2 + 4  # two bytes: never fewer tokens than bytes


def test_without_a_known_window_every_earlier_turn_is_sent() -> None:
    history = turns("a", "b", "c", "d")
    fitted = fit_context(
        system=None, history=history, message="q", context_length=None, max_tokens=10
    )
    assert (fitted.history, fitted.trimmed) == (tuple(history), 0)


def test_the_oldest_turns_are_trimmed_to_fit_the_window_minus_the_answer() -> None:
    history = turns("1" * 10, "2" * 10, "3" * 10, "4" * 10)  # 14 tokens each
    # room: 100 - 20 (max_tokens) - 6 (message) - 8 (system) = 66: four turns need 56
    fitted = fit_context(
        system="sys!", history=history, message="qq", context_length=100, max_tokens=20
    )
    assert fitted.trimmed == 0
    fitted = fit_context(
        system="sys!", history=history, message="qq", context_length=80, max_tokens=20
    )  # room 46: three turns (42) fit, but a history never starts with an answer
    assert fitted.history == tuple(history[2:])
    assert fitted.trimmed == 2


def test_when_nothing_fits_no_history_is_sent() -> None:
    fitted = fit_context(
        system=None, history=turns("a", "b"), message="x" * 50, context_length=40, max_tokens=10
    )
    assert (fitted.history, fitted.trimmed) == ((), 2)
