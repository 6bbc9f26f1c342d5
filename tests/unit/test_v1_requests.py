"""The /v1 chat request: OpenAI's messages split into system, history and prompt, the fields
passed on, and the record that says it came through /v1 and with which API key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from adapters.openrouter.payloads import text_body
from application.generation.chat_requests import ChatRequest, prepare_chat
from domain.conversations import ChatTurn, Role
from domain.errors import InvalidGenerationRequestError
from entrypoints.api.schemas.v1 import ChatCompletionIn
from entrypoints.api.v1_messages import aspect_ratio_of, chat_request, key_name
from tests.fakes import FakeClock, FakeIdGenerator

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def body(**fields: object) -> ChatCompletionIn:
    return ChatCompletionIn.model_validate({"model": "openai/gpt-4o-mini", **fields})


def test_messages_become_system_history_and_prompt() -> None:
    chat = chat_request(
        body(
            messages=[
                {"role": "developer", "content": "Be brief."},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "I am "},
                        {"type": "text", "text": "Ada."},
                    ],
                },
                {"role": "assistant", "content": "Hi Ada."},
                {"role": "user", "content": "Who am I?"},
            ],
            stop="END",
            max_tokens=10,
            max_completion_tokens=20,
        ),
        api_key=None,
    )
    assert chat.system == "Be brief."
    assert chat.history == (ChatTurn(Role.USER, "I am Ada."), ChatTurn(Role.ASSISTANT, "Hi Ada."))
    assert (chat.prompt, chat.stop, chat.max_tokens) == ("Who am I?", ("END",), 20)


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "system", "content": "Only a system prompt."}],
        [{"role": "assistant", "content": "Hi"}],
    ],
)
def test_a_chat_must_end_with_the_user_s_message(messages: list[dict[str, str]]) -> None:
    with pytest.raises(InvalidGenerationRequestError):
        chat_request(body(messages=messages), api_key=None)


def test_the_record_says_via_v1_and_the_key_s_name_and_the_fields_go_upstream() -> None:
    chat = ChatRequest(
        model="openai/gpt-4o-mini",
        prompt="Hi",
        history=(ChatTurn(Role.USER, "Before"), ChatTurn(Role.ASSISTANT, "Yes")),
        top_p=0.5,
        stop=("\n",),
        seed=3,
        user="u-1",
        api_key="laptop",
    )
    request, generation = prepare_chat(FakeIdGenerator(), FakeClock(NOW), user_id="u1", chat=chat)
    options = json.loads(generation.options or "{}")
    assert options == {
        "via": "v1",
        "api_key": "laptop",
        "turns": 2,
        "top_p": 0.5,
        "stop": ["\n"],
        "seed": 3,
    }
    sent = text_body(request)
    assert (sent["top_p"], sent["stop"], sent["seed"], sent["user"]) == (0.5, ["\n"], 3, "u-1")
    assert len(sent["messages"]) == 3


def test_the_key_name_is_read_from_whatever_the_caller_carries() -> None:
    @dataclass
    class Key:
        name: str

    assert key_name(SimpleNamespace(user=None)) is None
    assert key_name(SimpleNamespace(api_key=None)) is None
    assert key_name(SimpleNamespace(api_key=Key("ci"))) == "ci"
    assert key_name(SimpleNamespace(api_key_name="laptop")) == "laptop"


@pytest.mark.parametrize(
    ("size", "ratio"),
    [
        ("1024x1024", "1:1"),
        ("1792x1024", "16:9"),
        ("1024x1792", "9:16"),
        ("1536x1024", "3:2"),
        ("auto", None),
        (None, None),
    ],
)
def test_sizes_are_the_nearest_aspect_ratio(size: str | None, ratio: str | None) -> None:
    assert aspect_ratio_of(size) == ratio


def test_a_size_that_is_no_size_is_refused() -> None:
    with pytest.raises(InvalidGenerationRequestError):
        aspect_ratio_of("1024")
