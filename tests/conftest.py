"""Fixtures every test directory may use: the session's PostgreSQL cluster (started only
when a test asks for it) and a fresh database per test (tests/postgres.py)."""

from tests.postgres import pg_server, pg_url  # noqa: F401 (fixtures)
