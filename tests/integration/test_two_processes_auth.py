"""Sessions and the per-request checks across two API processes on one PostgreSQL: a token
is rotated once however many processes race for it, and a role change, a deletion or a key
revocation made through one process holds on the very next request served by the other."""

from __future__ import annotations

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.multiprocess import TwoApis, bearer, signed_in, signed_up, start_two_apis, two_apis

__all__ = ["two_apis"]  # the fixture
RACERS = 16
ADMIN = {"ALLUCANGET_ADMIN_EMAIL": "root@example.com", "ALLUCANGET_ADMIN_PASSWORD": "x" * 20}


def jti(token: str) -> str:
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"])


def race_refreshes(urls: tuple[str, str], refresh_token: str) -> list[httpx.Response]:
    """RACERS refreshes of one token, alternately to each process, released together."""
    start = threading.Barrier(RACERS)
    clients = [httpx.Client(base_url=urls[i % 2], timeout=30) for i in range(RACERS)]
    for client in clients:  # connected beforehand, so that the requests leave together
        client.get("/healthz")

    def refresh(client: httpx.Client) -> httpx.Response:
        start.wait()
        return client.post("/auth/refresh", json={"refresh_token": refresh_token})

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(refresh, clients))
    for client in clients:
        client.close()
    return answers


def family_rows(database_url: str, first_jti: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT jti, parent_jti, replaced_by, revoked_at FROM refresh_tokens "
            "WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE jti = %s) "
            "ORDER BY issued_at, jti",
            [first_jti],
        ).fetchall()


def test_sixteen_refreshes_over_two_processes_give_exactly_one_successor(
    two_apis: TwoApis,
) -> None:
    a, _ = two_apis.urls
    token = signed_up(a, "ada@example.com")["refresh_token"]
    answers = race_refreshes(two_apis.urls, token)
    assert [r.status_code for r in answers] == [200] * RACERS, [r.text for r in answers]
    successors = {jti(r.json()["refresh_token"]) for r in answers}  # replays of the winner
    assert len(successors) == 1
    rows = family_rows(two_apis.database_url, jti(token))
    assert len(rows) == 2, rows
    (first, no_parent, replaced_by, revoked), (second, parent, no_successor, live) = rows
    assert (first, no_parent, replaced_by, revoked) == (jti(token), None, second, None)
    assert (parent, no_successor, live) == (first, None, None)
    assert successors == {second}


def test_with_strict_reuse_one_refresh_wins_and_the_others_revoke_the_family(
    pg_url: str, tmp_path: Path
) -> None:
    with start_two_apis(pg_url, tmp_path, ALLUCANGET_REFRESH_GRACE_S="0") as apis:
        token = signed_up(apis.urls[0], "ada@example.com")["refresh_token"]
        answers = race_refreshes(apis.urls, token)
        assert sorted(r.status_code for r in answers) == [200] + [401] * (RACERS - 1), [
            r.text for r in answers if r.status_code != 401
        ]
        codes = {r.json()["code"] for r in answers if r.status_code == 401}
        assert codes <= {"token_reused", "token_revoked"}, codes
        rows = family_rows(apis.database_url, jti(token))
        assert len(rows) == 2 and rows[1][1] == jti(token)  # one successor, its parent
        assert all(revoked is not None for *_, revoked in rows)  # the family is revoked


def test_a_role_change_or_deletion_through_one_process_holds_at_once_in_the_other(
    pg_url: str, tmp_path: Path
) -> None:
    with start_two_apis(pg_url, tmp_path, **ADMIN) as apis:
        a, b = apis.urls
        root = bearer(signed_in(a, *ADMIN.values()))
        ada = signed_up(a, "ada@example.com")
        ada_id = ada["user"]["id"]
        for i in range(10):  # each change through one process, the next request to the other
            changer, checker = (a, b) if i % 2 == 0 else (b, a)
            role = "admin" if i % 2 == 0 else "user"
            changed = httpx.put(f"{changer}/users/{ada_id}/role", json={"role": role}, headers=root)
            assert changed.status_code == 200, changed.text
            stats = httpx.get(f"{checker}/admin/stats", headers=bearer(ada))
            assert stats.status_code == (200 if role == "admin" else 403), (i, stats.text)
            assert httpx.get(f"{checker}/auth/me", headers=bearer(ada)).json()["role"] == role
        assert httpx.delete(f"{b}/users/{ada_id}", headers=root).status_code == 204
        me = httpx.get(f"{a}/auth/me", headers=bearer(ada))
        assert me.status_code == 401, me.text


def test_a_key_revoked_through_one_process_is_refused_by_the_other_at_once(
    two_apis: TwoApis,
) -> None:
    a, b = two_apis.urls
    ada = signed_up(a, "ada@example.com")
    for i in range(6):
        maker, user = (a, b) if i % 2 == 0 else (b, a)
        made = httpx.post(f"{maker}/api-keys", json={"name": f"k{i}"}, headers=bearer(ada))
        assert made.status_code == 201, made.text
        key = {"Authorization": f"Bearer {made.json()['key']}"}
        assert httpx.get(f"{user}/v1/models", headers=key).status_code == 200
        revoked = httpx.delete(f"{maker}/api-keys/{made.json()['id']}", headers=bearer(ada))
        assert revoked.status_code == 204
        refused = httpx.get(f"{user}/v1/models", headers=key)
        assert refused.status_code == 401, refused.text
