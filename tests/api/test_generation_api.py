"""Text, streamed text and images through the API, against the OpenRouter simulator."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from entrypoints.api.app import create_app
from tests.api.conftest import Account
from tests.api.generation_fixtures import (  # noqa: F401 (fixtures)
    IMAGE_MODEL,
    TEXT_MODEL,
    ada,
    admin,
    api,
    bob,
    wired_container,
)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401


def text(api: TestClient, who: Account, prompt: str, **extra: Any):  # type: ignore[no-untyped-def]
    body = {"prompt": prompt, "model": TEXT_MODEL, **extra}
    return api.post("/generate/text", json=body, headers=who.headers)


def sse_events(raw: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_text_is_answered_and_recorded(
    api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    response = text(api, ada, "Write a haiku about ducks", temperature=0.2)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] and body["finish_reason"] == "stop"
    assert body["model"].startswith("openai/gpt-4o") and body["provider"]
    assert body["usage"]["total_tokens"] > 0 and body["usage"]["cost"] > 0
    [sent] = simulator.requests("/chat/completions")
    assert sent["json"]["max_tokens"] > 0 and sent["json"]["temperature"] == 0.2
    [item] = api.get("/generations", headers=ada.headers).json()["data"]
    assert (item["id"], item["status"], item["text"]) == (body["id"], "succeeded", body["text"])


def test_the_stream_sends_deltas_then_done(api: TestClient, ada: Account) -> None:
    body = {"prompt": "Tell me a story", "model": TEXT_MODEL}
    with api.stream("POST", "/generate/text/stream", json=body, headers=ada.headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("delta") >= 2
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["text"]
    stored = api.get(f"/generations/{done['id']}", headers=ada.headers).json()
    assert stored["text"] == done["text"]


def test_a_failure_mid_stream_is_an_error_event_and_a_failed_record(
    api: TestClient, ada: Account
) -> None:
    body = {"prompt": "[[sim:fault=midstream_error]] go", "model": TEXT_MODEL}
    with api.stream("POST", "/generate/text/stream", json=body, headers=ada.headers) as response:
        events = sse_events(response.read().decode())
    assert events[-1][0] == "error"
    assert events[-1][1]["code"] == "upstream_unavailable"
    [item] = api.get("/generations", headers=ada.headers).json()["data"]
    assert item["status"] == "failed"


def test_a_failure_before_the_first_token_is_a_plain_problem(api: TestClient, ada: Account) -> None:
    body = {"prompt": "[[sim:fault=403]] go", "model": TEXT_MODEL}
    response = api.post("/generate/text/stream", json=body, headers=ada.headers)
    assert_problem(response, 422, "upstream_rejected")


def test_an_image_is_stored_served_to_its_owner_only(
    api: TestClient, ada: Account, bob: Account, admin: Account
) -> None:
    body = {"prompt": "a lighthouse", "model": IMAGE_MODEL, "aspect_ratio": "16:9"}
    response = api.post("/generate/image", json=body, headers=ada.headers)
    assert response.status_code == 200, response.text
    [image] = response.json()["images"]
    picture = api.get(image["url"], headers=ada.headers)
    assert picture.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(picture.content)) as decoded:
        assert decoded.size == (image["width"], image["height"])
        assert decoded.width / decoded.height == pytest.approx(16 / 9, rel=0.05)
    assert_problem(api.get(image["url"], headers=bob.headers), 404, "not_found")
    assert_problem(
        api.get(f"/generations/{response.json()['id']}", headers=bob.headers), 404, "not_found"
    )
    assert api.get(image["url"], headers=admin.headers).status_code == 200
    assert_problem(api.get(image["url"]), 401, "not_authenticated")


def test_deleting_a_generation_removes_its_media(
    api: TestClient, ada: Account, tmp_path: Path
) -> None:
    body = {"prompt": "a lighthouse", "model": IMAGE_MODEL}
    generated = api.post("/generate/image", json=body, headers=ada.headers).json()
    assert list((tmp_path / "media").rglob("*.png")) != []
    gid = generated["id"]
    eve = Account(api, "eve@example.com")
    assert_problem(api.delete(f"/generations/{gid}", headers=eve.headers), 404, "not_found")
    assert api.delete(f"/generations/{gid}", headers=ada.headers).status_code == 204
    assert list((tmp_path / "media").rglob("*.png")) == []
    assert_problem(api.get(generated["images"][0]["url"], headers=ada.headers), 404, "not_found")
    assert_problem(api.delete(f"/generations/{gid}", headers=ada.headers), 404, "not_found")


def test_history_pages_and_filters(api: TestClient, ada: Account) -> None:
    for index in range(3):
        text(api, ada, f"prompt {index}")
    api.post("/generate/image", json={"prompt": "pic", "model": IMAGE_MODEL}, headers=ada.headers)
    first = api.get("/generations?limit=2", headers=ada.headers).json()
    assert [g["prompt"] for g in first["data"]] == ["pic", "prompt 2"]
    rest = api.get(
        f"/generations?limit=2&cursor={first['next_cursor']}", headers=ada.headers
    ).json()
    assert ([g["prompt"] for g in rest["data"]], rest["next_cursor"]) == (
        ["prompt 1", "prompt 0"],
        None,
    )
    images = api.get("/generations?kind=image", headers=ada.headers).json()["data"]
    assert [g["kind"] for g in images] == ["image"]
    assert_problem(
        api.get("/generations?cursor=garbage!", headers=ada.headers), 422, "validation_error"
    )


@pytest.mark.parametrize(
    ("fault", "status", "code", "reason"),
    [
        ("403", 422, "upstream_rejected", None),
        ("402", 502, "upstream_unavailable", "out_of_credits"),
        ("401", 502, "upstream_unavailable", "provider_down"),
        ("429_no_retry_after", 503, "upstream_unavailable", "rate_limited"),
        ("500", 502, "upstream_unavailable", "provider_down"),
        ("408", 504, "upstream_timeout", None),
        ("malformed_json", 502, "upstream_unavailable", "bad_response"),
        ("error_200", 502, "upstream_unavailable", "provider_down"),
    ],
)
def test_upstream_failures_become_the_contracts_codes(
    api: TestClient, ada: Account, fault: str, status: int, code: str, reason: str | None
) -> None:
    body = assert_problem(text(api, ada, f"[[sim:fault={fault}]] hi"), status, code)
    assert body.get("reason") == reason
    assert "sk-or" not in json.dumps(body)
    [item] = api.get("/generations", headers=ada.headers).json()["data"]
    assert (item["status"], item["error_code"]) == ("failed", code)


@pytest.mark.parametrize(
    "body",
    [
        {"prompt": "hi", "model": "not a model"},
        {"prompt": "", "model": TEXT_MODEL},
        {"prompt": "x" * 32_001, "model": TEXT_MODEL},
        {"prompt": "hi", "model": TEXT_MODEL, "x": 1},
        {"prompt": "hi", "model": TEXT_MODEL, "temperature": 3},
    ],
)
def test_bad_input_is_refused_and_nothing_goes_upstream(
    api: TestClient, ada: Account, simulator: SimulatorHandle, body: dict[str, Any]
) -> None:
    assert_problem(
        api.post("/generate/text", json=body, headers=ada.headers), 422, "validation_error"
    )
    assert simulator.requests("/chat/completions") == []


def test_models_are_listed_by_output_and_survive_an_outage(
    api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    images = api.get("/models?output=image", headers=ada.headers).json()["data"]
    assert images and all("image" in m["output_modalities"] for m in images)
    simulator.set_scenario(fault="503", endpoints=["/models"])
    again = api.get("/models?output=image", headers=ada.headers)
    assert again.status_code == 200 and again.json()["data"] == images


def test_without_a_key_generation_says_not_configured(
    tmp_path: Path, simulator: SimulatorHandle
) -> None:
    container = wired_container(tmp_path, simulator, key="")
    with TestClient(create_app(container.settings(), container)) as client:
        who = Account(client, "ada@example.com")
        assert_problem(text(client, who, "hi"), 503, "provider_not_configured")
        assert client.get("/readyz").json()["status"] == "degraded"
    assert simulator.requests() == []
