"""A downloaded video's type comes from its bytes."""

from __future__ import annotations

from adapters.media.videos import video_type_of


def test_the_video_type_comes_from_the_bytes() -> None:
    assert video_type_of(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 8) == "video/mp4"
    assert video_type_of(b"\x1a\x45\xdf\xa3" + b"\x00" * 8) == "video/webm"
    assert video_type_of(b"<html>ftyp</html>") is None
