"""Deleting a user while they keep refreshing: no live token, no orphan row (the real API,
on DuckDB and on PostgreSQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.integration.engines import api_engine, query_stored  # noqa: F401 (fixture)
from tests.servers import Server, server_env

PASSWORD = "correct horse battery staple"
ADMIN = {"email": "root@example.com", "password": "an admin passphrase for tests"}
ORPHANS = {
    "refresh_tokens": (
        "SELECT count(*) FROM refresh_tokens WHERE user_id NOT IN (SELECT id FROM users)"
    ),
    "generations": "SELECT count(*) FROM generations WHERE user_id NOT IN (SELECT id FROM users)",
    "media": "SELECT count(*) FROM media WHERE owner_id NOT IN (SELECT id FROM users)",
    "api_keys": "SELECT count(*) FROM api_keys WHERE user_id NOT IN (SELECT id FROM users)",
}


async def refresh_until_refused(
    http: httpx.AsyncClient, url: str, token: str, refreshed: asyncio.Event, deleted: asyncio.Event
) -> list[tuple[int, bool]]:
    """Refresh in a loop; each answer is kept with whether its request was sent after the
    deletion had been answered. Ends at the first refusal or after that first later request."""
    answers: list[tuple[int, bool]] = []
    for _ in range(2000):  # bounded, in case the deletion never comes
        after = deleted.is_set()
        answer = await http.post(f"{url}/auth/refresh", json={"refresh_token": token})
        answers.append((answer.status_code, after))
        if answer.status_code != 200 or after:
            break
        refreshed.set()
        token = answer.json()["refresh_token"]
    return answers


async def test_a_user_refreshing_while_deleted_keeps_nothing(
    tmp_path: Path, api_engine: dict[str, str]
) -> None:
    env = server_env(
        ALLUCANGET_ADMIN_EMAIL=ADMIN["email"],
        ALLUCANGET_ADMIN_PASSWORD=ADMIN["password"],
        **api_engine,
    )
    api = Server("api", tmp_path / "data", env).start()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            admin = (await http.post(f"{api.url}/auth/login", json=ADMIN)).json()
            victim = {"email": "victim@example.com", "password": PASSWORD}
            user_id = (await http.post(f"{api.url}/auth/register", json=victim)).json()["id"]
            sessions = [
                (await http.post(f"{api.url}/auth/login", json=victim)).json() for _ in range(4)
            ]
            bearer = {"Authorization": f"Bearer {sessions[0]['access_token']}"}
            made = await http.post(f"{api.url}/api-keys", json={"name": "k"}, headers=bearer)
            key = {"Authorization": f"Bearer {made.json()['key']}"}
            refreshed = [asyncio.Event() for _ in sessions]
            deleted = asyncio.Event()
            loops = [
                asyncio.create_task(
                    refresh_until_refused(http, api.url, s["refresh_token"], event, deleted)
                )
                for s, event in zip(sessions, refreshed, strict=True)
            ]
            # every loop has refreshed at least once before the deletion (a guard, not a pause)
            await asyncio.wait_for(asyncio.gather(*(e.wait() for e in refreshed)), timeout=60)
            answer = await http.delete(
                f"{api.url}/users/{user_id}",
                headers={"Authorization": f"Bearer {admin['access_token']}"},
            )
            deleted.set()
            results = await asyncio.gather(*loops)
            key_after = await http.get(f"{api.url}/auth/me", headers=key)
        assert answer.status_code == 204 and key_after.status_code == 401
        statuses = [[status for status, _ in r] for r in results]
        assert all(s[0] == 200 for s in statuses), statuses  # each refreshed before the deletion
        assert all(set(s) <= {200, 401} for s in statuses), statuses  # never a 5xx or a conflict
        assert all(s[-1] == 401 for s in statuses), "after the deletion every loop was refused"
        later = [status for r in results for status, after in r if after]
        assert set(later) <= {401}, results  # no request sent after the deletion was answered
    finally:
        api.stop()
    path = tmp_path / "data" / "allucanget.duckdb"
    for table, sql in ORPHANS.items():
        assert query_stored(api_engine, path, sql) == [(0,)], table
    for sql in (
        "SELECT count(*) FROM refresh_tokens WHERE user_id = ?",
        "SELECT count(*) FROM users WHERE id = ?",
    ):
        assert query_stored(api_engine, path, sql, [user_id]) == [(0,)], sql
