"""What OpenRouter's video statuses mean for our jobs."""

from __future__ import annotations

import pytest

from application.generation.upstream_video_status import upstream_status
from domain.video_jobs import VideoStatus

Q, P, C, F = VideoStatus.QUEUED, VideoStatus.IN_PROGRESS, VideoStatus.COMPLETED, VideoStatus.FAILED


@pytest.mark.parametrize(
    ("upstream", "ours"),
    [
        ("pending", Q),
        ("in_progress", P),
        ("completed", C),
        ("failed", F),
        ("cancelled", F),
        ("expired", F),
        ("rendering", None),
    ],
)
def test_upstream_statuses_map_onto_ours(upstream: str, ours: VideoStatus | None) -> None:
    assert upstream_status(upstream) is ours
