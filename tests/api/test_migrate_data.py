"""`allucanget migrate-data`: a DuckDB deployment filled through the real API (a row in
every table) moves into a real PostgreSQL; the counts match, the moved users sign in with
their passwords on an API that runs on PostgreSQL and find their history, conversations,
budget and API key; a second run is refused; a failure mid-copy leaves the target empty."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from adapters.transfer.duckdb_source import open_source
from adapters.transfer.postgres_target import connect, in_dependency_order
from entrypoints.cli import main
from tests.api.api_key_fixtures import KeyHolder
from tests.api.conftest import Account
from tests.api.conversation_fixtures import sent, start
from tests.api.generation_fixtures import ADMIN_EMAIL, ADMIN_PASSWORD, IMAGE_MODEL, TEXT_MODEL
from tests.api.video_fixtures import follow, started, submit, video_container
from tests.simulator_fixtures import SimulatorHandle, simulator, simulator_session  # noqa: F401


@dataclass
class Moved:
    """What the DuckDB deployment held, to be found again on PostgreSQL."""

    generations: list[str]
    image_url: str
    image: bytes
    conversation: str
    key: str
    budget: dict[str, Any]


def signed_in(api: TestClient, email: str, password: str) -> Account:
    account = Account.__new__(Account)
    account.client, account.email, account.password = api, email, password
    account.tokens = account.login()
    account.id = api.get("/auth/me", headers=account.headers).json()["id"]
    return account


def fill(data_dir: Path, simulator: SimulatorHandle) -> Moved:
    """Users, sign-ins, text, an image, a finished video, a budget, a conversation, an API
    key and the audit trail of it all, through the API on DuckDB."""
    with started(video_container(data_dir, simulator)) as api:
        admin = signed_in(api, ADMIN_EMAIL, ADMIN_PASSWORD)
        ada = Account(api, "ada@example.com")
        text = api.post(
            "/generate/text", json={"model": TEXT_MODEL, "prompt": "hi"}, headers=ada.headers
        )
        assert text.status_code == 200, text.text
        image = api.post(
            "/generate/image", json={"model": IMAGE_MODEL, "prompt": "a fox"}, headers=ada.headers
        )
        assert image.status_code == 200, image.text
        image_url = image.json()["images"][0]["url"]
        video = submit(api, ada)
        assert video.status_code == 202, video.text
        assert follow(api, ada, video.json()["id"])[-1]["status"] == "completed"
        chat = start(api, ada)["id"]
        sent(api, ada, chat, "remember the word lighthouse")
        key = KeyHolder(api, ada).key
        budget = api.put(
            f"/users/{ada.id}/budget", json={"limit": 5, "period": "week"}, headers=admin.headers
        )
        assert budget.status_code == 200, budget.text
        history = api.get("/generations", headers=ada.headers).json()["data"]
        return Moved(
            generations=sorted(item["id"] for item in history),
            image_url=image_url,
            image=api.get(image_url, headers=ada.headers).content,
            conversation=chat,
            key=key,
            budget=api.get("/me/budget", headers=ada.headers).json(),
        )


def duckdb_counts(data_dir: Path) -> dict[str, int]:
    source = open_source(data_dir / "allucanget.duckdb")
    try:
        return {table.name: source.count(table) for table in source.tables()}
    finally:
        source.close()


def pg_counts(url: str, tables: list[str]) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        return {
            t: int(str(connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]))  # type: ignore[index]  # noqa: S608
            for t in tables
        }


def migrate(capsys: pytest.CaptureFixture[str], url: str, data_dir: Path) -> tuple[int, str, str]:
    code = main(["migrate-data", "--to", url, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_filled_deployment_moves_and_its_users_carry_on_with_postgresql(
    tmp_path: Path, simulator: SimulatorHandle, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fill(tmp_path, simulator)
    counts = duckdb_counts(tmp_path)
    assert "api_keys" in counts and "video_jobs" in counts
    assert all(counts.values()), f"a table the fill left empty: {counts}"

    code, out, err = migrate(capsys, pg_url, tmp_path)

    assert code == 0, err
    assert pg_counts(pg_url, list(counts)) == counts
    with psycopg.connect(pg_url) as target:  # /metrics counts, kept by triggers, saw the COPY
        [(counted,)] = target.execute("SELECT sum(n) FROM generation_counts").fetchall()
    assert counted == counts["generations"]
    assert "verified" in out and "Media files were not copied" in out
    for table, rows in counts.items():
        assert any(line.split() == [table, str(rows), str(rows)] for line in out.splitlines())
    with started(video_container(tmp_path, simulator, database_url=pg_url)) as api:
        ada = signed_in(api, "ada@example.com", "correct horse battery staple")
        history = api.get("/generations", headers=ada.headers).json()["data"]
        assert sorted(item["id"] for item in history) == before.generations
        moved_image = api.get(before.image_url, headers=ada.headers)
        assert moved_image.status_code == 200 and moved_image.content == before.image
        chat = api.get(f"/conversations/{before.conversation}", headers=ada.headers).json()
        assert "lighthouse" in chat["messages"][0]["content"]
        budget = api.get("/me/budget", headers=ada.headers).json()
        assert (budget["limit"], budget["period"]) == (before.budget["limit"], "week")
        assert budget["spent"] == before.budget["spent"]
        by_key = api.get("/generations", headers={"Authorization": f"Bearer {before.key}"})
        assert by_key.status_code == 200 and len(by_key.json()["data"]) == len(history)
        admin = signed_in(api, ADMIN_EMAIL, ADMIN_PASSWORD)
        audit = api.get("/admin/audit", headers=admin.headers).json()["data"]
        assert "budget_change" in {event["action"] for event in audit}
    # these sign-ins were PostgreSQL's: two more refresh tokens there, none in DuckDB
    assert pg_counts(pg_url, ["refresh_tokens"])["refresh_tokens"] == counts["refresh_tokens"] + 2
    assert duckdb_counts(tmp_path)["refresh_tokens"] == counts["refresh_tokens"]


def test_a_second_run_is_refused_and_changes_nothing(
    tmp_path: Path, simulator: SimulatorHandle, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(tmp_path, simulator)
    counts = duckdb_counts(tmp_path)
    first = migrate(capsys, pg_url, tmp_path)
    assert first[0] == 0, first

    code, out, err = migrate(capsys, pg_url, tmp_path)

    assert code == 1 and "verified" not in out
    assert "is not empty" in err and "a second run is refused" in err
    assert pg_counts(pg_url, list(counts)) == counts


def test_a_failure_mid_copy_leaves_the_target_without_a_row(
    tmp_path: Path, simulator: SimulatorHandle, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last table copied is refused by the server (a trigger raises, as a full disk or a
    lost connection would fail it): every table before it was already copied in the same
    transaction, which rolls back."""
    fill(tmp_path, simulator)
    source = open_source(tmp_path / "allucanget.duckdb")
    try:
        with connect(pg_url) as target:
            ordered = in_dependency_order(target, source.tables())
            last = ordered[-1].name
            target.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'the server refuses this row'; END $$"
            )
            target.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {last} "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
    finally:
        source.close()

    code, out, err = migrate(capsys, pg_url, tmp_path)

    assert code == 1 and "verified" not in out
    assert f"copying '{last}' failed" in err and "the server refuses this row" in err
    assert "rolled back" in err
    # the tables before the failing one were copied (in the transaction), then undone
    assert f"  {ordered[0].name}: " in out and len(ordered) > 1
    assert set(pg_counts(pg_url, [t.name for t in ordered]).values()) == {0}
