"""GET /media/{id}: streamed from disk, with byte ranges so a video can seek (RFC 9110 §14)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import IMAGE_MODEL, ada, api, bob  # noqa: F401
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401


def stored_image(api: TestClient, who: Account, tmp_path: Path) -> tuple[str, bytes]:
    body = {"prompt": "a lighthouse", "model": IMAGE_MODEL}
    response = api.post("/generate/image", json=body, headers=who.headers)
    assert response.status_code == 200, response.text
    [image] = response.json()["images"]
    [path] = (tmp_path / "media").rglob("*.png")
    return image["url"], path.read_bytes()


def test_a_byte_range_is_a_206_with_its_content_range(
    api: TestClient, ada: Account, bob: Account, tmp_path: Path
) -> None:
    url, data = stored_image(api, ada, tmp_path)
    whole = api.get(url, headers=ada.headers)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(len(data))
    assert whole.headers["content-disposition"].startswith("inline")
    part = api.get(url, headers={**ada.headers, "Range": "bytes=8-23"})
    assert part.status_code == 206 and part.content == data[8:24]
    assert part.headers["content-range"] == f"bytes 8-23/{len(data)}"
    assert part.headers["content-type"] == "image/png"
    tail = api.get(url, headers={**ada.headers, "Range": "bytes=-4"})
    assert tail.status_code == 206 and tail.content == data[-4:]
    # the owner check comes first, ranges or not
    assert_problem(api.get(url, headers={**bob.headers, "Range": "bytes=0-1"}), 404, "not_found")
    assert_problem(api.get(url, headers={"Range": "bytes=0-1"}), 401, "not_authenticated")


def test_a_range_past_the_end_is_416_and_a_malformed_one_is_ignored(
    api: TestClient, ada: Account, tmp_path: Path
) -> None:
    url, data = stored_image(api, ada, tmp_path)
    beyond = api.get(url, headers={**ada.headers, "Range": f"bytes={len(data)}-"})
    assert_problem(beyond, 416, "range_not_satisfiable")
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"
    for malformed in ("bytes=abc", "lines=1-2", "bytes=9-3"):
        whole = api.get(url, headers={**ada.headers, "Range": malformed})
        assert (whole.status_code, whole.content) == (200, data), malformed
