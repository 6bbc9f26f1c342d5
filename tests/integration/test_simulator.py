"""The OpenRouter simulator over real loopback HTTP, compared with recorded OpenRouter bodies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.catalogue import price
from simulator.cli import main
from simulator.config import SimulatorConfig
from simulator.faults import ALL_FAULTS
from simulator.server import running_simulator
from tests import simulator_cases as cases
from tests import simulator_fixtures as fx
from tests.simulator_cases import key_paths, recording, sse
from tests.simulator_fixtures import SimulatorHandle, png_dimensions

simulator_session, simulator = fx.simulator_session, fx.simulator
GEN_ID = re.compile(r"^gen(-vid)?-\d{10}-[A-Za-z0-9]{20}$")
CASE_IDS = [f"{path}-{fault}-{status}" for path, _, _, fault, status, _ in cases.REQUEST_CASES]


@pytest.mark.parametrize("case", cases.REQUEST_CASES, ids=CASE_IDS)
def test_requests_get_the_recorded_answers(simulator: SimulatorHandle, case: Any) -> None:
    _path, _body, auth, fault, status, check = case
    reply = simulator.send(case)
    kind, name = check[:1], f"error-{check[1:]}.json"
    assert reply.status_code == status
    assert ("retry-after" in reply.headers) == (fault in cases.RETRY_AFTER_FAULTS)
    logged = simulator.requests()[0]
    assert logged["auth_matched"] is (None if auth is None else auth == "")
    assert logged["fault"] == (fault or None) and logged["status"] == status
    if kind == "~":
        assert reply.headers["content-type"].startswith(check[1:])
        with pytest.raises(ValueError, match=r"\w"):
            json.loads(reply.content)
    elif kind == "@":
        expected_path, _, expected = check[1:].partition("=")
        assert str(cases.dig(reply.json(), expected_path)) == expected
    elif status == 200:
        assert reply.json()["choices"][0]["message"]["content"]
    else:
        error = reply.json()["error"]
        assert error["message"] and error.get("code", status) == status  # 503: no code (2026)
        assert kind != "!" or error["metadata"]["error_type"].startswith(check[1:])
        assert kind != "=" or reply.json() == recording(name)
        assert kind != "<" or key_paths(recording(name)) <= key_paths(reply.json())


def test_chat_replays_recorded_shapes_prices_and_limits(simulator: SimulatorHandle) -> None:
    recorded = recording("chat-nonstream-rubyllm-haiku45-basic.json")
    haiku: dict[str, Any] = {"model": "anthropic/claude-haiku-4.5", "stream": False}
    response = simulator.chat("What's 2 + 2?", **haiku)
    body, usage = response.json(), response.json()["usage"]
    assert key_paths(body) == key_paths(recorded)
    assert key_paths(body) <= key_paths(recording("chat-nonstream-ortoolbox-liquid-free.json"))
    assert (body["model"], body["provider"]) == (recorded["model"], recorded["provider"])
    assert GEN_ID.match(body["id"]) and response.headers["x-generation-id"] == body["id"]
    assert usage["completion_tokens"] == len(body["choices"][0]["message"]["content"].split())
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert simulator.chat("What's 2 + 2?", **haiku).json()["choices"] == body["choices"]
    toolcall = recording("chat-nonstream-rubyllm-haiku45-toolcall.json")["usage"]
    gpt4o = sse(recording("chat-stream-llm-openrouter-gpt4o.sse"))[1][-2]["usage"]
    recorded_usages = [(haiku["model"], toolcall), ("openai/gpt-4o", gpt4o)]
    for model, tokens in [(haiku["model"], usage), *recorded_usages]:
        cost = price(model, tokens["prompt_tokens"], tokens["completion_tokens"])
        assert cost == pytest.approx(tokens["cost"])  # the catalogue reproduces recorded costs
    cut = simulator.chat("Tell me [[sim:tokens=40]]", max_tokens=5).json()["choices"][0]
    assert len(cut["message"]["content"].split()) == 5 and cut["finish_reason"] == "length"
    whole = simulator.chat("x [[sim:tokens=7]]", max_tokens=50).json()["choices"][0]
    assert len(whole["message"]["content"].split()) == 7 and whole["finish_reason"] == "stop"
    log = simulator.requests(cases.CHAT)
    assert [entry["json"]["max_tokens"] for entry in log][-2:] == [5, 50]
    assert log[0]["headers"]["authorization"] == "[REDACTED]" and log[0]["auth_matched"] is True
    assert simulator.api_key not in json.dumps(log)
    flagged = simulator.chat("A" * 300, "403").json()["error"]["metadata"]["flagged_input"]
    assert len(flagged) == 100 and "..." in flagged  # the middle elided
    assert "up to 8192 tokens" in simulator.chat(fault="402", max_tokens=8192).text
    assert "up to 16384 tokens" in simulator.chat(fault="402", max_tokens=None).text
    assert simulator.chat(fault="429").headers["x-ratelimit-remaining"] == "0"


def test_streams_have_the_recorded_framing_and_errors(simulator: SimulatorHandle) -> None:
    pieces, text = simulator.stream("Count please [[sim:tokens=12]]")
    comments, data = sse(text)
    assert text.startswith(": OPENROUTER PROCESSING\n\n") and "\r" not in text
    assert len(comments) >= 3 and set(comments) == {": OPENROUTER PROCESSING"}
    assert text.endswith("data: [DONE]\n\n") and data[-1] == "[DONE]"
    assert any(not piece.endswith(b"\n\n") for piece in pieces)  # events split across writes
    chunks = data[:-1]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    streamed = "".join(c["choices"][0]["delta"]["content"] for c in chunks)
    assert len(streamed.split()) == 12 and [c for c in chunks if "usage" in c] == chunks[-1:]
    gpt4o = sse(recording("chat-stream-llm-openrouter-gpt4o.sse"))[1][:-1]
    haiku = sse(recording("chat-stream-rubyllm-haiku45.sse"))[1][:-1]
    recorded = set().union(*(key_paths(c) for c in gpt4o + haiku)) | {"service_tier"}
    assert all(key_paths(chunk) <= recorded for chunk in chunks)
    assert key_paths(haiku[-1]) - {"service_tier"} <= key_paths(chunks[-1])
    assert chunks[-1]["choices"][0]["finish_reason"] == haiku[-1]["choices"][0]["finish_reason"]
    simulator.set_scenario(usage_chunk="2025", chunk_delay_ms=40)
    start, usage_2025 = time.monotonic(), sse(simulator.stream("[[sim:tokens=5]]")[1])[1][-2]
    assert time.monotonic() - start >= 0.2  # five chunks, 40 ms apart
    assert key_paths(gpt4o[-1]) <= key_paths(usage_2025)
    assert usage_2025["choices"][0]["finish_reason"] is gpt4o[-1]["choices"][0]["finish_reason"]
    simulator.set_scenario(usage_chunk="docs")
    assert sse(simulator.stream("hi")[1])[1][-2]["choices"] == []


def test_fault_selection_flaky_transport_faults_and_control(simulator: SimulatorHandle) -> None:
    assert simulator.chat("hi [[sim:fault=524]]").status_code == 524
    assert simulator.chat(model="openai/gpt-4o:sim-529").status_code == 529
    assert simulator.chat(fault="no_such_fault").status_code == 400
    simulator.set_scenario(fault="500", endpoints=[cases.CHAT])
    assert simulator.chat().status_code == 500 and simulator.chat(fault="none").status_code == 200
    assert simulator.get("/models").status_code == 200
    assert [e["fault"] for e in simulator.requests()][:3] == ["524", "529", None]
    faults = simulator.client.get(f"{simulator.origin}/__sim/faults").json()["data"]
    bad = simulator.client.post(f"{simulator.origin}/__sim/scenario", json={"fault": "bogus"})
    assert set(faults) == ALL_FAULTS and bad.status_code == 400
    assert simulator.set_scenario()["fault"] is None and simulator.chat().status_code == 200
    runs = [("a", "flaky:1:429")] * 3 + [("b", "flaky")] * 3 + [("c", "flaky:1:429")]
    statuses = [simulator.chat(f"[[sim:key={key}]]", fault).status_code for key, fault in runs]
    assert statuses == [429, 200, 200, 503, 503, 200, 429]  # K=2 and 503 from the config
    recorded = recording("chat-nonstream-rubyllm-haiku45-basic.json", raw=True)
    padded = simulator.chat(fault="leading_whitespace").text
    for text in (recorded, padded):  # the same keep-alive unit as the recording
        prefix = text[: len(text) - len(text.lstrip())]
        assert prefix and set(prefix.split("\n         \n")) == {""}
    assert key_paths(json.loads(padded)) == key_paths(json.loads(recorded))
    midstream = sse(recording("chat-stream-pydanticai-midstream-error.sse"))[1]
    variants = [("", 502, True), ("_string", "server_error", False), ("_length", 400, True)]
    for fault, code, done in variants:
        data = sse(simulator.stream(f"[[sim:tokens=9]] [[sim:fault=midstream_error{fault}]]")[1])[1]
        chunks = [chunk for chunk in data if chunk != "[DONE]"]
        words = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks).split()
        assert 0 < len(words) < 9 and ("[DONE]" in data) is done and data.count("[DONE]") <= 1
        assert chunks[-1]["error"]["code"] == code
        finishes = [c["choices"][0]["finish_reason"] for c in chunks[-3:]]
        if fault == "_length":  # as recorded: two "length" chunks, then the error with usage
            assert key_paths(midstream[-2]) <= key_paths(chunks[-1])
            assert finishes == [c["choices"][0]["finish_reason"] for c in midstream[-4:-1]]
        else:
            assert finishes[-1] == "error"
    for fault in ("drop_connection", "drop_mid_stream"):
        with pytest.raises(httpx.RemoteProtocolError):
            simulator.chat(fault=fault)
    with pytest.raises(httpx.ReadTimeout):
        simulator.chat(fault="slow_headers", timeout=0.2)  # 600 ms in the test config
    start = time.monotonic()
    assert simulator.chat(fault="stall_stream:0.3").json()["choices"]
    assert simulator.chat(fault="slow_headers:300").status_code == 200
    assert time.monotonic() - start >= 0.6
    lines = simulator.failing_stream("drop_mid_stream", httpx.RemoteProtocolError)
    lines += simulator.failing_stream("stall_stream", httpx.ReadTimeout)
    assert len([line for line in lines if line.startswith("data: {")]) == 3 + 3
    dropped = [e["status"] for e in simulator.requests() if e["fault"] == "drop_connection"]
    assert dropped == [None]  # no response was sent


def test_images_models_key_and_generation_endpoints(simulator: SimulatorHandle) -> None:
    recorded = recording("image-pydanticai-gemini25-flash-image.json")
    image_chat: Any = {"model": "google/gemini-2.5-flash-image", "modalities": ["image", "text"]}
    sizes = [("1:1", "1K", 64, 64), ("16:9", "1K", 84, 48), ("9:16", "2K", 96, 168)]
    for aspect, size, width, height in [*sizes, ("21:9", "4K", 384, 168)]:
        config = {"aspect_ratio": aspect, "image_size": size}
        body = simulator.chat("A cat", image_config=config, **image_chat).json()
        image = body["choices"][0]["message"]["images"][0]
        assert key_paths(recorded) <= key_paths(body)
        assert key_paths(image) == key_paths(recorded["choices"][0]["message"]["images"][0])
        assert image["image_url"]["url"].startswith("data:image/png;base64,")
        assert png_dimensions(image["image_url"]["url"]) == (width, height)
        ratio_w, ratio_h = map(int, aspect.split(":"))
        assert abs(width / height * ratio_h / ratio_w - 1) < 0.03  # Gemini sizes, divided by 16
        assert body["usage"]["completion_tokens_details"]["image_tokens"] == 1290
    events = sse(simulator.stream("A cat", image_config={"aspect_ratio": "3:2"}, **image_chat)[1])
    chunks = [c for c in events[1][:-1] if c["choices"] and "images" in c["choices"][0]["delta"]]
    recorded_chunk = sse(recording("image-stream-pydanticai-gemini25-flash-image.sse"))[1][0]
    assert len(chunks) == 1 and key_paths(recorded_chunk) <= key_paths(chunks[0])
    choice, recorded_choice = chunks[0]["choices"][0], recorded_chunk["choices"][0]
    assert choice["finish_reason"] == recorded_choice["finish_reason"]
    assert png_dimensions(choice["delta"]["images"][0]["image_url"]["url"]) == (78, 52)
    reply = simulator.images(n=2, aspect_ratio="16:9", resolution="2K")
    recorded = recording("image-endpoint-rubyllm-gemini31-flash-lite.json")
    assert key_paths(recorded) <= key_paths(reply.json()) and len(reply.json()["data"]) == 2
    assert reply.headers["x-generation-id"].startswith("gen-img-")
    assert {png_dimensions(item["b64_json"]) for item in reply.json()["data"]} == {(168, 96)}
    square = simulator.images(size="2048x2048", resolution="2K").json()["data"][0]["b64_json"]
    kinds = [e if e == "[DONE]" else e["type"] for e in sse(simulator.images(stream=True).text)[1]]
    assert png_dimensions(square) == (128, 128)
    assert kinds == ["image_generation.partial_image", "image_generation.completed", "[DONE]"]

    def ids(query: str = "") -> set[str]:
        return {m["id"] for m in simulator.get(f"/models{query}", auth=False).json()["data"]}

    listing = simulator.get("/models?output_modalities=all", auth=False).json()
    recent = recording("models-llm-openrouter-2026-08-filtered.json")
    assert set(listing) == set(recent) and listing["total_count"] == len(listing["data"])
    for old_or_new in (recording("models-llm-openrouter-2025-04-full.json"), recent):
        needed = set.intersection(*(key_paths(m) for m in old_or_new["data"]))
        assert all(needed <= key_paths(m) for m in listing["data"])
    assert all(isinstance(p, str) for m in listing["data"] for p in m["pricing"].values())
    recorded_ids = {m["id"] for m in recent["data"]} | set(cases.RECORDED_MODELS)
    assert recorded_ids <= ids("?output_modalities=all")
    assert "black-forest-labs/flux.2-pro" in ids("?output_modalities=image") - ids()
    assert "google/veo-3.1-lite" in ids("?output_modalities=video") - ids()
    generation = f"/generation?id={simulator.chat().json()['id']}"
    assert [simulator.get(generation).status_code for _ in range(2)] == [404, 200]
    assert simulator.get("/key").json()["data"]["usage"] > 0


def test_video_jobs_lifecycle_outcomes_and_capabilities(simulator: SimulatorHandle) -> None:
    submit = simulator.video(resolution="480p", aspect_ratio="1:1", frame_images=[cases.FIRST])
    job, recorded = submit.json(), recording("video-submit-ortoolbox-grok.json")
    assert submit.status_code == 202 and set(job) == set(recorded) and GEN_ID.match(job["id"])
    assert job["polling_url"] == f"{simulator.base_url}/videos/{job['id']}"
    assert simulator.get(f"{job['polling_url']}/content").status_code == 404  # not done yet
    pending, running, done = simulator.poll(job["polling_url"], 3)
    statuses = [poll["status"] for poll in (pending, running, done)]
    assert statuses == ["pending", "in_progress", "completed"]
    assert key_paths(pending) == key_paths(recording("video-poll-pending-ortoolbox-seedance.json"))
    assert key_paths(done) == key_paths(recording("video-poll-completed-ortoolbox-grok.json"))
    assert done["unsigned_urls"] == [f"{job['polling_url']}/content?index=0"]
    assert done["usage"]["cost"] == pytest.approx(4 * 0.052)
    video = simulator.get(done["unsigned_urls"][0])
    assert (video.status_code, video.headers["content-type"]) == (200, "video/mp4")
    assert "content-length" not in video.headers and len(video.content) < 10_000
    fx.assert_playable_mp4(video.content)
    index_5 = simulator.get(f"{job['polling_url']}/content?index=5").json()
    assert index_5 == recording("error-400-ortoolbox-video-content-index.json")
    broken = {"X-Sim-Fault": "video_content_502"}
    assert simulator.get(done["unsigned_urls"][0], headers=broken).status_code == 502
    simulator.set_scenario(video_pending_polls=0, video_in_progress_polls=0)
    for fault, error in [
        ("failed", "Content policy violation"),
        ("cancelled", "Job was cancelled"),
        ("expired", "Job exceeded maximum time to live"),
    ]:
        job = simulator.video(prompt=f"[[sim:fault=video_{fault}]]").json()
        (poll,) = simulator.poll(job["polling_url"], 1)
        assert (poll["status"], poll["error"]) == (fault, error) and "unsigned_urls" not in poll
    simulator.set_scenario(relative_polling_url=True, video_in_progress_polls=0)
    job = simulator.video(prompt="[[sim:fault=video_content_502]]").json()
    assert job["polling_url"] == f"/api/v1/videos/{job['id']}"
    polls = simulator.poll(job["polling_url"], 2)
    assert [poll["status"] for poll in polls] == ["pending", "completed"]
    assert simulator.get(polls[1]["unsigned_urls"][0]).status_code == 502
    models = simulator.get("/videos/models", auth=False).json()["data"]
    assert all(set(model) == set(models[0]) for model in models)
    capabilities = {m["id"]: m["supported_frame_images"] for m in models}
    assert capabilities["openai/sora-2-pro"] is None
    assert capabilities["google/veo-3.1-lite"] == ["first_frame", "last_frame"]
    veo = {"model": "google/veo-3.1-lite", "duration": 8, "frame_images": [cases.FIRST, cases.LAST]}
    assert simulator.video(**veo).status_code == 202


def test_budget_body_limit_bare_video_ids_and_the_command_line() -> None:
    cfg = SimulatorConfig(affordable_tokens=100, max_video_body_bytes=2000, video_id_style="bare")
    with running_simulator(cfg) as base_url, httpx.Client(timeout=10) as client:
        sim = SimulatorHandle(base_url, cfg.api_key, client)
        assert [sim.chat(max_tokens=n).status_code for n in (50, 500, None)] == [200, 402, 402]
        assert sim.video(prompt="x" * 3000).status_code == 413
        job, kronn = sim.video().json(), recording("video-poll-completed-kronn-seedance-mini.json")
        assert len(job["id"]) == len(kronn["id"]) == 20
        assert GEN_ID.match(sim.poll(job["polling_url"], 1)[0]["generation_id"])
    assert main(["--fault", "no_such_fault"]) == 2
    port = fx.free_port()
    command = [sys.executable, "-m", "simulator", "--port", str(port), "--latency-ms", "5"]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2])
    try:
        scenario = fx.wait_for(f"http://127.0.0.1:{port}/__sim/scenario").json()
        assert scenario["latency_ms"] == 5
    finally:
        process.terminate()
        assert process.wait(timeout=10) is not None
