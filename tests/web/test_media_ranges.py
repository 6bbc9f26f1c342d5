"""The media proxy passes byte ranges through, so a video in the web UI can seek."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import FakeApi

VIDEO = bytes(range(256)) * 4  # 1024 bytes


def _video(fake_api: FakeApi) -> str:
    return str(fake_api.gen.add_media("video/mp4", VIDEO, 8, 8)["url"])


def test_a_range_is_answered_206_with_the_part_and_its_headers(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = signed_in.get(_video(fake_api), headers={"Range": "bytes=100-199"})

    assert response.status_code == 206
    assert response.data == VIDEO[100:200]
    assert response.headers["Content-Range"] == "bytes 100-199/1024"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == "100"
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert fake_api.gen.ranges == [("bytes=100-199", None)]


def test_an_open_range_and_its_if_range_reach_the_api(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    headers = {"Range": "bytes=1000-", "If-Range": '"v1"'}

    response = signed_in.get(_video(fake_api), headers=headers)

    assert response.status_code == 206
    assert response.data == VIDEO[1000:]
    assert response.headers["Content-Range"] == "bytes 1000-1023/1024"
    assert fake_api.gen.ranges == [("bytes=1000-", '"v1"')]


def test_a_range_past_the_end_is_416_with_the_size(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = signed_in.get(_video(fake_api), headers={"Range": "bytes=5000-"})

    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */1024"
    assert response.data == b""


def test_without_a_range_the_whole_file_says_ranges_are_accepted(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = signed_in.get(_video(fake_api))

    assert response.status_code == 200
    assert response.data == VIDEO
    assert response.headers["Accept-Ranges"] == "bytes"
    assert "Content-Range" not in response.headers
    assert fake_api.gen.ranges == [(None, None)]


def test_several_ranges_are_not_asked_for_the_whole_file_comes_back(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    response = signed_in.get(_video(fake_api), headers={"Range": "bytes=0-9,20-29"})

    assert response.status_code == 200
    assert response.data == VIDEO
    assert fake_api.gen.ranges == [(None, None)]
