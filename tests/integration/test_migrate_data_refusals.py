"""`allucanget migrate-data` refuses clearly, with exit code 1, no traceback and no row in
the target: a running API (DuckDB's file lock), no database, a URL that is not PostgreSQL's,
a server that does not answer, a target whose schema lacks a table of the source; and a
value PostgreSQL cannot hold (NUL in text) moves as the PostgreSQL engine would store it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pytest

from adapters.duckdb.database import open_database
from entrypoints.cli import main
from tests.postgres import PgServer
from tests.simulator_fixtures import free_port


def deployment(data_dir: Path) -> Path:
    """A DuckDB deployment with one user, as the API would leave it."""
    open_database(data_dir / "allucanget.duckdb", threads=1).close()
    with duckdb.connect(str(data_dir / "allucanget.duckdb")) as connection:
        connection.execute(
            "INSERT INTO users VALUES ('u1', 'ada@example.com', 'user', 'hash', now()::TIMESTAMP)"
        )
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["migrate-data", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def users_in(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM users").fetchone()
        return int(row[0]) if row else -1


def test_a_running_api_holding_the_file_is_named_and_nothing_is_copied(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = deployment(tmp_path) / "allucanget.duckdb"
    holder = subprocess.Popen(  # another process with the file open read-write, as the API
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(path)!r}); "
            "print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code, _out, err = run(capsys, "--to", pg_url, "--data-dir", str(tmp_path))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert code == 1
    assert "stop the API first" in err and "Traceback" not in err
    assert users_in(pg_url) == 0


def test_a_data_dir_without_a_database_is_refused(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--to", pg_url, "--data-dir", str(tmp_path / "nothing"))
    assert code == 1 and "no DuckDB database at" in err
    assert not (tmp_path / "nothing").exists()


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "/var/lib/db", "duckdb:///x"])
def test_a_url_that_is_not_postgresql_is_refused(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--to", url, "--data-dir", str(deployment(tmp_path)))
    assert code == 1 and "--to takes a PostgreSQL URL" in err and "Traceback" not in err


def test_an_unreachable_server_is_a_clear_message_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://mover:s3cret-word@127.0.0.1:{free_port()}/allucanget"
    code, _out, err = run(capsys, "--to", url, "--data-dir", str(deployment(tmp_path)))
    assert code == 1
    assert err.startswith("allucanget: cannot connect to PostgreSQL at 127.0.0.1:")
    assert "/allucanget" in err and "s3cret-word" not in err and "Traceback" not in err


def test_a_wrong_database_name_is_a_clear_message(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_url.rsplit("/", 1)[0] + "/no_such_database"
    code, _out, err = run(capsys, "--to", url, "--data-dir", str(deployment(tmp_path)))
    assert code == 1 and "cannot connect to PostgreSQL" in err and "no_such_database" in err


def test_a_source_table_the_postgresql_schema_lacks_fails_clearly_and_writes_no_row(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A later DuckDB migration without its PostgreSQL twin must not be dropped silently."""
    data_dir = deployment(tmp_path)
    with duckdb.connect(str(data_dir / "allucanget.duckdb")) as connection:
        connection.execute("CREATE TABLE bookmarks (id VARCHAR PRIMARY KEY)")
        connection.execute("INSERT INTO bookmarks VALUES ('b1')")
    code, _out, err = run(capsys, "--to", pg_url, "--data-dir", str(data_dir))
    assert code == 1 and "no table 'bookmarks'" in err
    assert users_in(pg_url) == 0


def test_a_source_column_the_postgresql_table_lacks_fails_clearly(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = deployment(tmp_path)
    with duckdb.connect(str(data_dir / "allucanget.duckdb")) as connection:
        connection.execute("ALTER TABLE users ADD COLUMN nickname VARCHAR")
    code, _out, err = run(capsys, "--to", pg_url, "--data-dir", str(data_dir))
    assert code == 1 and "'users' has no column(s) nickname" in err
    assert users_in(pg_url) == 0


def test_a_database_holding_tables_of_something_else_is_refused(
    tmp_path: Path, pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with pg_server.admin() as admin:
        admin.execute(b"CREATE DATABASE someone_elses")
    url = pg_server.url("someone_elses")
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE TABLE invoices (id int)")
        code, _out, err = run(capsys, "--to", url, "--data-dir", str(deployment(tmp_path)))
        assert code == 1 and "is not empty: invoices (0)" in err
        with psycopg.connect(url) as connection:
            tables = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
        assert tables == [("invoices",)]  # no migration ran
    finally:
        with pg_server.admin() as admin:
            admin.execute(b"DROP DATABASE someone_elses WITH (FORCE)")


def test_a_nul_character_arrives_as_u_fffd_as_the_postgresql_engine_stores_it(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL text cannot hold NUL; one deployment's stray NUL must not block the move."""
    data_dir = deployment(tmp_path)
    with duckdb.connect(str(data_dir / "allucanget.duckdb")) as connection:
        connection.execute("UPDATE users SET password_hash = 'a' || chr(0) || 'b'")
    code, out, err = run(capsys, "--to", pg_url, "--data-dir", str(data_dir))
    assert code == 0, err
    assert "1 text value(s) held a NUL character" in out
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("SELECT password_hash FROM users").fetchall() == [("a\ufffdb",)]
