"""/metrics counts generations cheaply: on DuckDB (one process writes) they are kept in
memory and a scrape runs no SQL; on PostgreSQL (any process writes) a scrape reads the small
`generation_counts` table alone. The counts match the database after generations, deletions
and a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import adapters.duckdb.database as duckdb_module
import adapters.postgres.database as pg_module
from entrypoints.api.app import create_app
from tests.api.conftest import Account
from tests.api.generation_fixtures import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    IMAGE_MODEL,
    TEXT_MODEL,
    wired_container,
)
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401


def database_counts(client: TestClient) -> dict[tuple[str, str], int]:
    database = client.app.state.container.database()  # type: ignore[attr-defined]
    rows = client.portal.call(  # type: ignore[union-attr]
        database.read, "SELECT kind, status, count(*) FROM generations GROUP BY kind, status"
    )
    return {(kind, status): int(n) for kind, status, n in rows}


def scraped(client: TestClient) -> dict[tuple[str, str], int]:
    counts = {}
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("allucanget_generations{"):
            labels = dict(
                part.split("=") for part in line[line.index("{") + 1 : line.index("}")].split(",")
            )
            counts[(labels["kind"].strip('"'), labels["status"].strip('"'))] = int(
                float(line.split()[-1])
            )
    return counts


def test_a_scrape_reads_no_table_of_generations(
    tmp_path: Path,
    simulator: SimulatorHandle,
    monkeypatch: pytest.MonkeyPatch,
    engine_settings: dict[str, Any],
) -> None:
    container = wired_container(tmp_path, simulator, **engine_settings)
    with TestClient(create_app(container.settings(), container)) as api:
        ada = Account(api, "ada@example.com")
        api.post("/generate/text", json={"prompt": "hi", "model": TEXT_MODEL}, headers=ada.headers)
        statements: list[str] = []
        fetch, run = duckdb_module._fetch, pg_module.run

        def spying(cursor: Any, sql: str, params: list[Any]) -> Any:
            statements.append(sql)
            return fetch(cursor, sql, params)

        async def spying_pg(connection: Any, sql: str, params: list[Any] | None) -> Any:
            statements.append(sql)
            return await run(connection, sql, params)

        monkeypatch.setattr(duckdb_module, "_fetch", spying)
        monkeypatch.setattr(pg_module, "run", spying_pg)
        counts = scraped(api)
        monkeypatch.undo()
        if engine_settings:  # PostgreSQL: one read of the counts table, never `generations`
            assert [sql.split(" FROM ")[1].split()[0] for sql in statements] == [
                "generation_counts"
            ]
        else:
            assert statements == []
        assert counts == {("text", "succeeded"): 1}


def test_the_counts_match_the_database_after_writes_deletions_and_a_restart(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> None:
    container = wired_container(tmp_path, simulator, **engine_settings)
    with TestClient(create_app(container.settings(), container)) as api:
        ada, bob = Account(api, "ada@example.com"), Account(api, "bob@example.com")
        for who, prompt in ((ada, "hi"), (ada, "[[sim:fault=403]]"), (bob, "hello")):
            api.post(
                "/generate/text", json={"prompt": prompt, "model": TEXT_MODEL}, headers=who.headers
            )
        image = api.post(
            "/generate/image", json={"prompt": "a fox", "model": IMAGE_MODEL}, headers=ada.headers
        )
        assert image.status_code == 200, image.text
        assert (
            scraped(api)
            == database_counts(api)
            == {
                ("text", "succeeded"): 2,
                ("text", "failed"): 1,
                ("image", "succeeded"): 1,
            }
        )
        api.delete(f"/generations/{image.json()['id']}", headers=ada.headers)
        admin = api.post("/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        token = admin.json()["access_token"]
        deleted = api.delete(f"/users/{bob.id}", headers={"Authorization": f"Bearer {token}"})
        assert deleted.status_code == 204
        assert (
            scraped(api)
            == database_counts(api)
            == {
                ("text", "succeeded"): 1,
                ("text", "failed"): 1,
            }
        )
    restarted = wired_container(tmp_path, simulator, **engine_settings)
    with TestClient(create_app(restarted.settings(), restarted)) as api:
        assert (
            scraped(api)
            == database_counts(api)
            == {
                ("text", "succeeded"): 1,
                ("text", "failed"): 1,
            }
        )
