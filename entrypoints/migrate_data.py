"""`allucanget migrate-data --to postgresql://...`: move a DuckDB deployment into an empty
PostgreSQL database (the API must be stopped). Media files are not copied: they stay in the
data directory, which the PostgreSQL deployment keeps using (or shares, see the README)."""

from __future__ import annotations

import sys
from typing import TextIO

import psycopg

from adapters.postgres.migrate import migrate
from adapters.transfer.duckdb_source import DuckDBSource, TransferError, open_source
from adapters.transfer.postgres_target import (
    Copied,
    check_schema,
    connect,
    copy_all,
    in_dependency_order,
    rows_present,
    where,
)
from entrypoints.settings import Settings


def migrate_data(settings: Settings, url: str, out: TextIO | None = None) -> int:
    """0 when every table is copied and its count verified; 1 (nothing written) otherwise."""
    out = out or sys.stdout
    source: DuckDBSource | None = None
    try:
        source = open_source(settings.database_path)
        copied = _move(source, url, out)
        nul_values = source.nul_values
    except TransferError as exc:
        print(f"allucanget: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:  # the migrations or a check failed: no row copied yet
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"allucanget: PostgreSQL failed, no row was written: {reason}", file=sys.stderr)
        return 1
    finally:
        if source is not None:
            source.close()
    _report(copied, settings, url, out)
    if nul_values:
        print(
            f"{nul_values} text value(s) held a NUL character, which PostgreSQL cannot store: "
            "each NUL became U+FFFD, as the API on PostgreSQL stores one sent to it",
            file=out,
        )
    return 0


def _move(source: DuckDBSource, url: str, out: TextIO) -> list[Copied]:
    tables = source.tables()
    connection = connect(url)
    try:
        present = rows_present(connection, tables)
        if present:
            held = ", ".join(f"{name} ({rows})" for name, rows in sorted(present.items()))
            raise TransferError(
                f"the PostgreSQL database {where(url)} is not empty: {held}. migrate-data "
                "copies into an empty database only (a second run is refused); nothing written"
            )
        migrate(connection)
        check_schema(connection, tables)
        ordered = in_dependency_order(connection, tables)
        print(f"copying {len(ordered)} tables from {source.path} to {where(url)}", file=out)
        return copy_all(
            connection,
            source,
            ordered,
            on_table=lambda c: print(f"  {c.table}: {c.target_rows} rows copied", file=out),
        )
    finally:
        connection.close()


def _report(copied: list[Copied], settings: Settings, url: str, out: TextIO) -> None:
    width = max([len("table"), *(len(c.table) for c in copied)])
    print(f"{'table':<{width}}  {'DuckDB':>10}  {'PostgreSQL':>10}", file=out)
    for c in copied:
        print(f"{c.table:<{width}}  {c.source_rows:>10}  {c.target_rows:>10}", file=out)
    total = sum(c.target_rows for c in copied)
    print(f"verified: {len(copied)} tables, {total} rows, every count equal", file=out)
    print(
        f"Media files were not copied: they stay in {settings.media_dir}. Start the API with "
        f"ALLUCANGET_DATABASE_URL pointing at {where(url)} and the same ALLUCANGET_DATA_DIR "
        "(its secret_key signs sign-ins and digests API keys; or set the same "
        "ALLUCANGET_SECRET_KEY), or mount that directory on every machine that runs it.",
        file=out,
    )
