"""Who may see what a user owns: the owner, and admins."""

from __future__ import annotations


def visible_to(owner_id: str, user_id: str, *, is_admin: bool) -> bool:
    """Users see only their own generations, jobs and media; admins may see any
    (api-contract.md). To anyone else the thing does not exist (security.md #28)."""
    return is_admin or owner_id == user_id
