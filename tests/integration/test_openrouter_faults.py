"""OpenRouterGateway against the simulator's faults: each becomes our error after the right
attempts, transient ones are retried until success, and a stream fails only with our error."""

from __future__ import annotations

import time
from typing import Any

import pytest

from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import ImageRequest, TextResult
from domain.errors import Error
from tests.integration.gateway_world import (  # noqa: F401 (fixtures)
    World,
    ask,
    collect,
    failure,
    faulty,
    no_key_in_logs,
    simulator,
    simulator_session,
    world,
)

# (fault, outcome, retry_after_s, attempts). Retries: 2, backoff 10 ms, Retry-After honoured
# up to 0.5 s; the simulator says 1 s, so those give up at once and pass the wait on. Reads
# time out at 0.6 s: well before the slow headers (1.5 s here) and the stall (2 s) end.
FAULTS = [
    ("400_context", "bad_request", 0, 1),
    ("401", "provider_down", 0, 1),
    ("402", "out_of_credits", 0, 1),
    ("402_balance", "out_of_credits", 0, 1),
    ("402_image", "out_of_credits", 0, 1),
    ("402_in_flight", "out_of_credits", 1, 1),
    ("403", "upstream_rejected", 0, 1),
    ("408", "upstream_timeout", 0, 3),
    ("429", "rate_limited", 1, 1),
    ("429_upstream", "rate_limited", 1, 1),
    ("429_no_retry_after", "rate_limited", 0, 3),
    ("500", "provider_down", 0, 3),
    ("502", "provider_down", 0, 3),
    ("503", "provider_down", 1, 1),
    ("524", "provider_down", 0, 3),
    ("529", "provider_down", 0, 3),
    ("flaky:3:500", "provider_down", 0, 3),
    ("drop_connection", "provider_down", 0, 3),
    ("drop_mid_stream", "provider_down", 0, 1),
    ("html_502", "provider_down", 0, 3),
    ("text_plain", "provider_down", 0, 3),
    ("html_200", "bad_response", 0, 1),
    ("malformed_json", "bad_response", 0, 1),
    ("empty_200", "bad_response", 0, 1),
    ("error_200", "provider_down", 0, 1),
    ("empty_choices", "bad_response", 0, 1),
    ("empty_content", "bad_response", 0, 1),
    ("choice_error", "provider_down", 0, 1),
    ("content_filter", "upstream_rejected", 0, 1),
    ("slow_headers:1500", "upstream_timeout", 0, 1),
    ("stall_stream", "upstream_timeout", 0, 1),
]


@pytest.mark.parametrize("case", FAULTS, ids=[case[0] for case in FAULTS])
async def test_each_fault_becomes_our_error_after_the_right_attempts(
    world: World, case: Any
) -> None:
    fault, expected, retry_after, tries = case
    error = await failure(world.gateway(0.6).complete_text(faulty(fault)))
    assert getattr(error, "reason", error.code) == expected and world.attempts() == tries
    assert getattr(error, "retry_after_s", 0) == retry_after
    assert "story" not in str(error) and "user_2sim" not in str(error)  # no prompt, no user id
    if expected in ("out_of_credits", "provider_down") and fault.startswith("40"):
        assert "ask an admin" in str(error) and "openrouter.ai" not in str(error)
    if fault == "403":  # a short reason, never the flagged input or the provider
        assert "(violence)" in str(error) and "OpenAI" not in str(error)


async def test_an_unknown_model_is_a_bad_request_that_says_why(world: World) -> None:
    error = await failure(world.gateway().complete_text(ask(model="nobody/nothing")))
    assert isinstance(error, Unavailable) and error.reason == "bad_request"
    assert "nobody/nothing is not a valid model ID" in str(error) and world.attempts() == 1
    error = await failure(world.gateway().generate_image(ImageRequest("openai/gpt-4o", "x")))
    assert isinstance(error, Unavailable) and error.reason == "bad_request"  # 404: no image output


RECOVERIES = [  # (fault, attempts until success, least seconds waited: Retry-After honoured)
    ("leading_whitespace", 1, 0),  # blank keep-alive lines before the JSON (§8.2)
    ("flaky:2:500", 3, 0),
    ("flaky:2:502", 3, 0),
    ("flaky:1:408", 2, 0),
    ("flaky:1:524", 2, 0),
    ("flaky:1:drop_connection", 2, 0),
    ("flaky:1:429_no_retry_after", 2, 0),
    ("flaky:1:429", 2, 1),
    ("flaky:1:503", 2, 1),
    ("flaky:1:402_in_flight", 2, 1),
]


@pytest.mark.parametrize("case", RECOVERIES, ids=[case[0] for case in RECOVERIES])
async def test_transient_faults_are_retried_until_success(world: World, case: Any) -> None:
    fault, tries, least_wait_s = case
    started = time.monotonic()
    result = await world.gateway(retry_max_wait_s=2).complete_text(faulty(fault))
    assert result.text.startswith("Simulated reply") and world.attempts() == tries
    assert time.monotonic() - started >= least_wait_s


# (fault, outcome, deltas yielded before it, attempts)
STREAM_FAULTS = [
    ("midstream_error", "provider_down", 3, 1),
    ("midstream_error_string", "provider_down", 3, 1),
    ("midstream_error_length", "bad_request", 3, 1),
    ("choice_error", "provider_down", 3, 1),
    ("content_filter", "upstream_rejected", 3, 1),
    ("drop_mid_stream", "provider_down", 2, 1),
    ("stall_stream", "upstream_timeout", 2, 1),
    ("slow_headers:1500", "upstream_timeout", 0, 1),
    ("empty_choices", "bad_response", 0, 1),
    ("empty_content", "bad_response", 0, 1),
    ("drop_connection", "provider_down", 0, 3),
    ("502", "provider_down", 0, 3),
    ("429", "rate_limited", 0, 1),
    ("403", "upstream_rejected", 0, 1),
    ("402", "out_of_credits", 0, 1),
]


@pytest.mark.parametrize("case", STREAM_FAULTS, ids=[case[0] for case in STREAM_FAULTS])
async def test_each_stream_fault_ends_the_stream_with_our_error(world: World, case: Any) -> None:
    fault, expected, before, tries = case
    gw = world.gateway(0.6, stream_idle_timeout_s=0.6)
    deltas, error = await collect(gw.stream_text(faulty(fault)))
    assert isinstance(error, Error) and getattr(error, "reason", error.code) == expected
    assert len(deltas) == before and world.attempts() == tries


async def test_the_idle_timeout_is_per_chunk_not_per_stream(world: World) -> None:
    """Four chunks 0.25 s apart make a 1 s stream that a 0.6 s idle timeout lets through."""
    world.sim.set_scenario(chunk_delay_ms=250)
    gw = world.gateway(stream_idle_timeout_s=0.6)
    deltas, result = await collect(gw.stream_text(ask("Hi [[sim:tokens=4]]", max_tokens=64)))
    assert isinstance(result, TextResult) and len(deltas) == 4


async def test_a_stream_is_retried_only_before_it_starts(world: World) -> None:
    deltas, result = await collect(world.gateway().stream_text(faulty("flaky:2:502")))
    assert isinstance(result, TextResult) and deltas and world.attempts() == 3
