"""A data directory that cannot take a write: 503 with a clear message, and reads still work."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.generation_fixtures import IMAGE_MODEL, TEXT_MODEL, ada, api  # noqa: F401 (fixtures)
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401


def test_an_unwritable_media_folder_is_a_503_and_reading_goes_on(
    api: TestClient, ada: Account, tmp_path: Path
) -> None:
    text = api.post(
        "/generate/text", headers=ada.headers, json={"prompt": "hi", "model": TEXT_MODEL}
    )
    assert text.status_code == 200
    media = tmp_path / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.write_text("a file where the media folder should be: no image can be written")

    image = api.post(
        "/generate/image",
        headers=ada.headers,
        json={"prompt": "a lighthouse", "model": IMAGE_MODEL},
    )
    body = assert_problem(image, 503, "storage_unavailable")
    assert "disk" in body["detail"] or "store" in body["detail"]
    history = api.get("/generations", headers=ada.headers)
    assert history.status_code == 200
    kept = [(g["kind"], g["status"], g["error_code"], g["media"]) for g in history.json()["data"]]
    assert kept == [
        ("image", "failed", "storage_unavailable", []),  # recorded, with no file
        ("text", "succeeded", None, []),
    ]
    assert api.get("/auth/me", headers=ada.headers).status_code == 200
