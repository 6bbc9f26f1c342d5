"""Operations: Prometheus metrics, and the request id on every log line."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from entrypoints.logs import JsonFormatter, RequestIdFilter
from tests.api.conftest import Account
from tests.api.generation_fixtures import TEXT_MODEL, ada, api  # noqa: F401 (fixtures)
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401


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
    api.post("/generate/text", json={"prompt": "[[sim:fault=403]]", "model": TEXT_MODEL},
             headers=ada.headers)  # fmt: skip
    api.get("/generations/not-a-real-id", headers=ada.headers)
    response = api.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert metric(text, "allucanget_upstream_calls_total", operation="text", outcome="ok") == 1
    assert metric(text, "allucanget_upstream_calls_total", operation="text",
                  outcome="upstream_rejected") == 1  # fmt: skip
    assert metric(text, "allucanget_http_requests_total", method="POST", route="/generate/text",
                  status="200") == 1  # fmt: skip
    assert metric(text, "allucanget_http_requests_total", method="GET",
                  route="/generations/{generation_id}", status="404") == 1  # fmt: skip
    assert metric(text, "allucanget_generations", kind="text", status="succeeded") == 1
    assert metric(text, "allucanget_generations", kind="text", status="failed") == 1
    assert "not-a-real-id" not in text  # routes are templates, never raw paths


def test_log_lines_carry_the_request_id_of_the_request(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    formatter = JsonFormatter()
    caplog.handler.addFilter(RequestIdFilter())  # as configure_logging() does, at emit time
    with caplog.at_level(logging.INFO):
        answer = api.post("/auth/register", json={"email": "x@example.com", "password": "1"},
                          headers={"X-Request-ID": "trace-42"})  # fmt: skip
    assert answer.headers["x-request-id"] == "trace-42"
    lines = [json.loads(formatter.format(record)) for record in caplog.records]
    assert any(line.get("request_id") == "trace-42" for line in lines), lines
