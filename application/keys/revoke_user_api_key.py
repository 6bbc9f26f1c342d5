"""Use case: an admin revokes a user's API key."""

from __future__ import annotations

from dataclasses import dataclass

from application.keys.revoke_api_key import RevokeApiKey


@dataclass(frozen=True, slots=True)
class RevokeUserApiKey:
    """An admin revokes one key of a user: refused from the next request, audited with the
    admin as actor. A key that is not this user's (or unknown, or revoked) is a 404."""

    revoke: RevokeApiKey

    async def execute(self, *, actor_id: str, user_id: str, key_id: str) -> None:
        await self.revoke.execute(actor_id=actor_id, user_id=user_id, key_id=key_id)
