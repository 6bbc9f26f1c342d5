"""/v1/chat/completions with the official `openai` SDK against the real API and the
simulator: plain and streamed answers, the whole conversation sent upstream, the OpenAI
fields passed on, and every call kept in the owner's history."""

from __future__ import annotations

from tests import simulator_fixtures as fx
from tests.api.v1_fixtures import KEY_NAME, V1Platform, platform
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator, platform = fx.simulator_session, fx.simulator, platform
MODEL = "openai/gpt-4o-mini"


def test_a_chat_completion_has_openai_s_shape_and_is_kept_in_the_history(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    answer = platform.client(token).chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Name a bird [[sim:tokens=5]]"}],
        max_completion_tokens=50,
    )
    assert answer.object == "chat.completion"
    assert answer.id.startswith("chatcmpl-")
    assert answer.choices[0].message.role == "assistant"
    assert len(answer.choices[0].message.content.split()) == 5
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and answer.usage.total_tokens > 0
    [kept] = platform.history(token)
    assert kept["id"] == answer.id.removeprefix("chatcmpl-")
    assert (kept["kind"], kept["status"]) == ("text", "succeeded")
    assert kept["prompt"] == "Name a bird [[sim:tokens=5]]"
    assert kept["api_key"] == KEY_NAME  # the history names the key that made it


def test_system_messages_earlier_turns_and_openai_fields_go_upstream(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    platform.client(token).chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "My name is Ada."}]},
            {"role": "assistant", "content": "Hello Ada."},
            {"role": "system", "content": "Answer in English."},
            {"role": "user", "content": "What is my name?"},
        ],
        max_tokens=40,
        temperature=0.5,
        top_p=0.9,
        stop=["\n\n"],
        seed=7,
        user="ada-42",
        extra_body={"frequency_penalty": 0.1},  # an unknown field is accepted, not sent
    )
    [sent] = simulator.requests("/chat/completions")
    body = sent["json"]
    assert body["messages"] == [
        {"role": "system", "content": "Be brief.\n\nAnswer in English."},
        {"role": "user", "content": "My name is Ada."},
        {"role": "assistant", "content": "Hello Ada."},
        {"role": "user", "content": "What is my name?"},
    ]
    assert (body["max_tokens"], body["temperature"], body["top_p"]) == (40, 0.5, 0.9)
    assert (body["stop"], body["seed"], body["user"]) == (["\n\n"], 7, "ada-42")
    assert "frequency_penalty" not in body


def test_a_streamed_chat_sends_chunks_then_usage(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    chunks = list(
        platform.client(token).chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Tell me more [[sim:tokens=8]]"}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert {chunk.object for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk.id for chunk in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(text.split()) == 8
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens > 0
    assert all(chunk.usage is None for chunk in chunks[:-1])
    [kept] = platform.history(token)
    assert (kept["status"], kept["text"]) == ("succeeded", text)


def test_a_stream_without_include_usage_has_no_usage_chunk(
    platform: V1Platform, simulator: SimulatorHandle
) -> None:
    token, _ = platform.new_user()
    with platform.client(token).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Hi [[sim:tokens=3]]"}], stream=True
    ) as stream:
        chunks = list(stream)
    assert all(chunk.choices for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"
