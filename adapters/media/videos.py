"""HeaderVideoInspector: a downloaded video's container type, read from its first bytes."""

from __future__ import annotations

from application.ports.video import VideoInspector


def video_type_of(data: bytes) -> str | None:
    """The container from the bytes: an ISO BMFF `ftyp` box (MP4) or EBML (WebM)."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


class HeaderVideoInspector(VideoInspector):
    """The type comes from the bytes, never from what the server said it sent."""

    def content_type(self, head: bytes) -> str | None:
        return video_type_of(head)
