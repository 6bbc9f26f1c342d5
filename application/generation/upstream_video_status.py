"""What an OpenRouter video poll means for our job (openrouter.md §4)."""

from __future__ import annotations

from application.ports.video import VideoPoll
from domain.video_jobs import VideoStatus

# OpenRouter says `pending` where our contract says `queued`; its three terminal failures
# (failed, cancelled, expired) are all `failed` to us, with a reason.
UPSTREAM_STATUSES = {
    "pending": VideoStatus.QUEUED,
    "queued": VideoStatus.QUEUED,
    "in_progress": VideoStatus.IN_PROGRESS,
    "completed": VideoStatus.COMPLETED,
    "failed": VideoStatus.FAILED,
    "cancelled": VideoStatus.FAILED,
    "expired": VideoStatus.FAILED,
}
_POLICY_WORDS = ("policy", "moderation", "safety", "inappropriate")


def upstream_status(value: str) -> VideoStatus | None:
    """Our status for an upstream one; None for a value we do not know (no change)."""
    return UPSTREAM_STATUSES.get(value)


def failure_of(poll: VideoPoll) -> tuple[str, str]:
    """(short reason, error code) for a job that ended badly upstream (openrouter.md §4)."""
    detail = (poll.error or "").strip().rstrip(".")
    if poll.status == "cancelled":
        reason, code = "The provider cancelled it", "upstream_unavailable"
    elif poll.status == "expired":
        reason, code = "It expired at the provider before it finished", "upstream_timeout"
    else:
        policy = any(word in detail.lower() for word in _POLICY_WORDS)
        reason = "The provider could not make this video"
        code = "upstream_rejected" if policy else "upstream_unavailable"
    return (f"{reason}: {detail}." if detail else f"{reason}."), code
