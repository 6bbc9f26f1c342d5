"""Deleting a user while they keep refreshing: no live token, no orphan row (real API, real DB)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import duckdb
import httpx

from tests.servers import Server, server_env

PASSWORD = "correct horse battery staple"
ADMIN = {"email": "root@example.com", "password": "an admin passphrase for tests"}
ORPHANS = {
    "refresh_tokens": (
        "SELECT count(*) FROM refresh_tokens WHERE user_id NOT IN (SELECT id FROM users)"
    ),
    "generations": "SELECT count(*) FROM generations WHERE user_id NOT IN (SELECT id FROM users)",
    "media": "SELECT count(*) FROM media WHERE owner_id NOT IN (SELECT id FROM users)",
}


async def refresh_forever(
    http: httpx.AsyncClient, url: str, token: str, stop: asyncio.Event
) -> list[int]:
    statuses = []
    for _ in range(2000):  # bounded: at most 2000 refreshes
        if stop.is_set():
            break
        answer = await http.post(f"{url}/auth/refresh", json={"refresh_token": token})
        statuses.append(answer.status_code)
        if answer.status_code != 200:
            break
        token = answer.json()["refresh_token"]
    return statuses


async def test_a_user_refreshing_while_deleted_keeps_nothing(tmp_path: Path) -> None:
    env = server_env(
        ALLUCANGET_ADMIN_EMAIL=ADMIN["email"], ALLUCANGET_ADMIN_PASSWORD=ADMIN["password"]
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
            stop = asyncio.Event()
            loops = [asyncio.create_task(refresh_forever(http, api.url, s["refresh_token"], stop))
                     for s in sessions]  # fmt: skip
            await asyncio.sleep(0.5)
            deleted = await http.delete(
                f"{api.url}/users/{user_id}",
                headers={"Authorization": f"Bearer {admin['access_token']}"},
            )
            await asyncio.sleep(0.3)
            stop.set()
            results = await asyncio.gather(*loops)
        assert deleted.status_code == 204
        assert all(len(r) > 1 for r in results), "each loop refreshed before the deletion"
        assert all(set(r) <= {200, 401} for r in results), results  # never a 5xx or a conflict
        assert all(r[-1] == 401 for r in results), "after the deletion every loop was refused"
    finally:
        api.stop()
    with duckdb.connect(str(tmp_path / "data" / "allucanget.duckdb"), read_only=True) as db:
        for table, sql in ORPHANS.items():
            assert db.execute(sql).fetchone() == (0,), table
        assert db.execute("SELECT count(*) FROM refresh_tokens WHERE user_id = ?",
                          [user_id]).fetchone() == (0,)  # fmt: skip
        assert db.execute("SELECT count(*) FROM users WHERE id = ?", [user_id]).fetchone() == (0,)
