"""Operations: Prometheus metrics, and the request id on every log line."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from entrypoints.logs import JsonFormatter, RequestIdFilter
from tests.api.conftest import Account
from tests.api.generation_fixtures import TEXT_MODEL, ada, api  # noqa: F401 (fixtures)
from tests.simulator_fixtures import (  # noqa: F401 (fixtures)
    SimulatorHandle,
    simulator,
    simulator_session,
)


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{{{wanted}}} not in metrics")


def test_metrics_count_requests_upstream_calls_and_generations(
    api: TestClient, ada: Account
) -> None:
    api.post("/generate/text", json={"prompt": "hi", "model": TEXT_MODEL}, headers=ada.headers)
    api.post(
        "/generate/text",
        json={"prompt": "[[sim:fault=403]]", "model": TEXT_MODEL},
        headers=ada.headers,
    )
    api.get("/generations/not-a-real-id", headers=ada.headers)
    response = api.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert metric(text, "allucanget_upstream_calls_total", operation="text", outcome="ok") == 1
    assert (
        metric(
            text, "allucanget_upstream_calls_total", operation="text", outcome="upstream_rejected"
        )
        == 1
    )
    assert (
        metric(
            text,
            "allucanget_http_requests_total",
            method="POST",
            route="/generate/text",
            status="200",
        )
        == 1
    )
    assert (
        metric(
            text,
            "allucanget_http_requests_total",
            method="GET",
            route="/generations/{generation_id}",
            status="404",
        )
        == 1
    )
    assert metric(text, "allucanget_generations", kind="text", status="succeeded") == 1
    assert metric(text, "allucanget_generations", kind="text", status="failed") == 1
    assert "not-a-real-id" not in text  # routes are templates, never raw paths


def test_log_lines_carry_the_request_id_of_the_request(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    formatter = JsonFormatter()
    caplog.handler.addFilter(RequestIdFilter())  # as configure_logging() does, at emit time
    with caplog.at_level(logging.INFO):
        answer = api.post(
            "/auth/register",
            json={"email": "x@example.com", "password": "1"},
            headers={"X-Request-ID": "trace-42"},
        )
    assert answer.headers["x-request-id"] == "trace-42"
    lines = [json.loads(formatter.format(record)) for record in caplog.records]
    assert any(line.get("request_id") == "trace-42" for line in lines), lines


def overhead_ms(response: httpx.Response) -> float:
    return float(response.headers["x-gateway-overhead-ms"])


def test_gateway_overhead_header_leaves_out_the_time_spent_waiting_on_openrouter(
    api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    """The simulator holds each answer 400 ms: a header that counted that wait would be at
    least 400 ms larger than the server's own time, so header + 400 ms could not fit inside
    the time the client saw. No upper bound on the server's speed is assumed."""
    simulator.set_scenario(latency_ms=400, chunk_delay_ms=100)
    body = {"prompt": "hi [[sim:tokens=3]]", "model": TEXT_MODEL}
    started = time.perf_counter()
    answered = api.post("/generate/text", json=body, headers=ada.headers)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert answered.status_code == 200
    assert elapsed_ms >= 400  # the simulator held the answer that long
    assert 0 <= overhead_ms(answered) <= elapsed_ms - 400 + 0.01  # none of it counted as ours
    started = time.perf_counter()
    with api.stream("POST", "/generate/text/stream", json=body, headers=ada.headers) as stream:
        headers_ms = (time.perf_counter() - started) * 1000  # headers wait for the first event
        assert stream.status_code == 200
        assert 0 <= overhead_ms(stream) <= headers_ms - 400 + 0.01
    started = time.perf_counter()
    listed = api.get("/generations", headers=ada.headers)  # no upstream: all of it is ours
    assert 0 < overhead_ms(listed) <= (time.perf_counter() - started) * 1000 + 0.01
    refused = api.get("/generations")
    assert refused.status_code == 401 and "x-gateway-overhead-ms" in refused.headers
    # sign-in routes do not publish exact server timings (timing attacks on passwords)
    me = api.get("/auth/me", headers=ada.headers)
    wrong = api.post("/auth/login", json={"email": ada.email, "password": "wrong"})
    for answer in (me, wrong):
        assert "x-gateway-overhead-ms" not in answer.headers
