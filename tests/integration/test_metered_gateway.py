"""The metered gateway counts each call once, as `ok` or as its error's code, and passes the
answer (or the error) through unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.metrics.metered import MeteredGateway
from adapters.metrics.prometheus import ApiMetrics
from application.errors import UpstreamRejectedError, UpstreamTimeoutError
from application.ports.generation import ImageRequest, TextDelta, TextRequest, TextResult
from tests.fake_gateway import FakeAIGateway

TEXT = TextRequest(model="openai/gpt-4o-mini", prompt="hi", max_tokens=10)
IMAGE = ImageRequest(model="google/gemini-2.5-flash-image", prompt="a fox")


class Counts:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def count_call(self, operation: str, outcome: str) -> None:
        self.calls.append((operation, outcome))


async def streamed(gateway: MeteredGateway) -> list[TextDelta | TextResult]:
    return [event async for event in gateway.stream_text(TEXT)]


CALLS: dict[str, Callable[[MeteredGateway], Awaitable[Any]]] = {
    "text": lambda gateway: gateway.complete_text(TEXT),
    "stream": streamed,
    "image": lambda gateway: gateway.generate_image(IMAGE),
    "models": lambda gateway: gateway.list_models("text"),
}


@pytest.mark.parametrize("operation", CALLS)
async def test_a_call_that_answers_counts_ok(operation: str) -> None:
    inner, counts = FakeAIGateway(), Counts()
    answer = await CALLS[operation](MeteredGateway(inner, counts))
    assert answer == await CALLS[operation](inner)  # passed through unchanged
    assert counts.calls == [(operation, "ok")]


@pytest.mark.parametrize("operation", CALLS)
async def test_a_call_that_fails_counts_its_code_and_raises_it(operation: str) -> None:
    inner, counts = FakeAIGateway(), Counts()
    inner.fail_with = UpstreamTimeoutError()
    inner.models = UpstreamTimeoutError()
    with pytest.raises(UpstreamTimeoutError):
        await CALLS[operation](MeteredGateway(inner, counts))
    assert counts.calls == [(operation, "upstream_timeout")]


async def test_a_stream_that_fails_after_deltas_counts_once() -> None:
    inner, counts = FakeAIGateway(), Counts()
    inner.fail_with, inner.fail_after_deltas = UpstreamRejectedError(), 2
    with pytest.raises(UpstreamRejectedError):
        await streamed(MeteredGateway(inner, counts))
    assert counts.calls == [("stream", "upstream_rejected")]


async def test_the_api_metrics_are_a_counter_for_it() -> None:
    metrics = ApiMetrics()
    await MeteredGateway(FakeAIGateway(), metrics).complete_text(TEXT)
    text = metrics.render([]).decode()
    assert 'allucanget_upstream_calls_total{operation="text",outcome="ok"} 1.0' in text
