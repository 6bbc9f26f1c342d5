"""The admin routes of the API stand-in (see conftest.FakeApi): stats, users, roles, audit
(and a user's API keys, in fake_keys.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tests.web.fake_generation import Answer

if TYPE_CHECKING:
    from tests.web.conftest import FakeApi

ADMIN_PATHS = ("/admin/", "/users")
TOTALS = {
    "users": {"total": 3, "admins": 1},
    "refresh_tokens": {"active": 4, "revoked": 2, "expired": 1},
    "generations": {"total": 57, "text": 40, "image": 12, "video": 5, "failed": 3},
    "usage": {"prompt_tokens": 12000, "completion_tokens": 34000, "cost": 1.25},
}


def breakdown(
    key: str, generations: int, failed: int = 0, cost: float = 0.0, label: str = ""
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label or key,
        "generations": generations,
        "failed": failed,
        "total_tokens": generations * 42,
        "cost": cost,
    }


@dataclass
class FakeAdmin:
    """`days` maps a day's offset from `since` to (generations, failed, cost)."""

    days: dict[int, tuple[int, int, float]] = field(default_factory=dict)
    per_model: list[dict[str, Any]] = field(default_factory=list)
    per_user: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)

    def handle(
        self, api: FakeApi, method: str, path: str, query: dict[str, str], body: Any
    ) -> Answer | None:
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/admin/stats"):
            status, stats, headers = self._stats(query)
            return status, {**stats, "budgets": api.budgets.stats()}, headers
        if (method, path) == ("GET", "/admin/audit"):
            return 200, _page(self.events, query, 50), {}
        if (method, path) == ("GET", "/users"):
            users = [_budgeted(api, e) for e in api.users]  # in order of creation
            chosen = [u for u in users if query.get("q", "") in u["email"]]
            return 200, _page(chosen, query, 20), {}
        if parts[0] != "users" or len(parts) < 2:
            return None
        email = next((e for e, a in api.users.items() if a["user"]["id"] == parts[1]), None)
        if email is None:
            return _problem(404, "not_found")
        return self._of_user(api, email, method, parts[2:], body)

    def _of_user(
        self, api: FakeApi, email: str, method: str, rest: list[str], body: Any
    ) -> Answer | None:
        """`/users/{id}` and what is below it, once the user is found."""
        if rest[:1] == ["api-keys"]:
            return api.keys.admin(email, method, rest[1:])
        if (method, rest) == ("PUT", ["budget"]):
            return api.budgets.put(email, body)
        if (method, rest) == ("PUT", ["role"]):
            self.bodies.append(body)
            return self._role(api, email, body["role"])
        if (method, rest) == ("DELETE", []):
            return self._delete(api, email)
        return (200, _budgeted(api, email), {}) if (method, rest) == ("GET", []) else None

    def _stats(self, query: dict[str, str]) -> Answer:
        since = datetime.fromisoformat(query["since"].replace("Z", "+00:00"))
        per_day = [
            breakdown((since + timedelta(days=offset)).date().isoformat(), *values)
            for offset, values in sorted(self.days.items())
        ]
        stats = {
            **TOTALS,
            "since": query["since"],
            "until": query["until"],
            "per_day": per_day,
            "per_model": self.per_model,
            "per_user": self.per_user,
        }
        return 200, stats, {}

    def _role(self, api: FakeApi, email: str, role: str) -> Answer:
        user = api.users[email]["user"]
        if user["role"] == "admin" and role != "admin" and _admins(api) == 1:
            return _problem(409, "last_admin", "The last admin cannot be demoted.")
        user["role"] = role
        api.end_sessions(email, revoke_only=True)
        return 200, user, {}

    def _delete(self, api: FakeApi, email: str) -> Answer:
        if api.users[email]["user"]["role"] == "admin" and _admins(api) == 1:
            return _problem(409, "last_admin", "The last admin cannot be deleted.")
        del api.users[email]
        api.end_sessions(email)
        return 204, None, {}


def _budgeted(api: FakeApi, email: str) -> dict[str, Any]:
    return {**api.users[email]["user"], "budget": api.budgets.of(email)}


def _admins(api: FakeApi) -> int:
    return sum(1 for a in api.users.values() if a["user"]["role"] == "admin")


def _page(rows: list[dict[str, Any]], query: dict[str, str], limit: int) -> dict[str, Any]:
    start, size = int(query.get("offset") or 0), int(query.get("limit") or limit)
    return {"data": rows[start : start + size], "total": len(rows)}


def _problem(status: int, code: str, detail: str = "") -> Answer:
    body = {"type": f"/problems/{code}", "title": code, "status": status, "detail": detail}
    return status, {**body, "code": code}, {}
