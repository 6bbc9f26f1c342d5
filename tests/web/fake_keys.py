"""The API key routes of the API stand-in (see conftest.FakeApi), as keys_contract.md says:
`/api-keys` for the caller's own keys, `/users/{id}/api-keys` for an admin."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.web.fake_generation import Answer

KEY_PATHS = ("/api-keys",)
MAX_KEYS = 20
CREATED_AT = "2025-03-01T12:00:00Z"
PUBLIC = ("id", "name", "prefix", "created_at", "expires_at", "last_used_at")


@dataclass
class FakeKeys:
    """Live keys by id, each with its owner's email; `bodies` records what creations sent."""

    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=itertools.count)

    def add(self, owner: str, name: str = "laptop", **values: Any) -> dict[str, Any]:
        n = next(self.ids)
        key = f"agk_secret{n:04d}" + "x" * 32
        row = {
            "id": f"k{n}",
            "name": name,
            "prefix": key[:12],
            "key": key,
            "created_at": CREATED_AT,
            "expires_at": None,
            "last_used_at": None,
            "owner": owner,
            **values,
        }
        self.keys[row["id"]] = row
        return row

    def of(self, owner: str) -> list[dict[str, Any]]:
        return [_public(k) for k in self.keys.values() if k["owner"] == owner]

    def handle(self, owner: str, method: str, path: str, body: dict[str, Any]) -> Answer | None:
        parts = path.strip("/").split("/")
        if (method, len(parts)) == ("GET", 1):
            return 200, {"data": self.of(owner)}, {}
        if (method, len(parts)) == ("POST", 1):
            return self._create(owner, body)
        if (method, len(parts)) == ("DELETE", 2):
            return self._delete(owner, parts[1])
        return None

    def admin(self, owner: str, method: str, rest: list[str]) -> Answer | None:
        """`/users/{id}/api-keys[/{key_id}]` once the user is found."""
        if (method, len(rest)) == ("GET", 0):
            return 200, {"data": self.of(owner)}, {}
        if (method, len(rest)) == ("DELETE", 1):
            return self._delete(owner, rest[0])
        return None

    def _create(self, owner: str, body: dict[str, Any]) -> Answer:
        self.bodies.append(body)
        name, days = body.get("name"), body.get("expires_in_days")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return _invalid("name", "String should have at most 100 characters")
        if days is not None and not (isinstance(days, int) and 1 <= days <= 3650):
            return _invalid("expires_in_days", "Input should be less than or equal to 3650")
        if len(self.of(owner)) >= MAX_KEYS:
            return _problem(422, "too_many_keys", "At most 20 live keys per user.")
        expires = None if days is None else _later(days)
        row = self.add(owner, name, expires_at=expires)
        return 201, {part: row[part] for part in (*PUBLIC[:5], "key")}, {}

    def _delete(self, owner: str, key_id: str) -> Answer:
        key = self.keys.get(key_id)
        if key is None or key["owner"] != owner:
            return _problem(404, "not_found", "No such key.")
        del self.keys[key_id]
        return 204, None, {}


def _later(days: int) -> str:
    start = datetime.fromisoformat(CREATED_AT.replace("Z", "+00:00"))
    return (start + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in PUBLIC}


def _invalid(name: str, message: str) -> Answer:
    errors = [{"loc": ["body", name], "msg": message, "type": "value_error"}]
    return 422, {**_problem(422, "validation_error")[1], "errors": errors}, {}


def _problem(status: int, code: str, detail: str = "") -> Answer:
    body = {"type": f"/problems/{code}", "title": code, "status": status, "detail": detail}
    return status, {**body, "code": code}, {}
