"""Media: files a generation produced (images, videos), owned by a user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.ownership import visible_to

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}


@dataclass(frozen=True, slots=True)
class MediaRef:
    id: str
    owner_id: str
    generation_id: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    created_at: datetime

    def visible_to(self, user_id: str, *, is_admin: bool) -> bool:
        return visible_to(self.owner_id, user_id, is_admin=is_admin)
