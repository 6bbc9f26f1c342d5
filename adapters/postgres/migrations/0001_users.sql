-- PostgreSQL mirror of the DuckDB schema (adapters/duckdb/migrations): the same tables and
-- columns, so that the engine-neutral SQL in adapters/sql runs on both. Timestamps are naive
-- UTC (`timestamp` without time zone), as DuckDB's TIMESTAMP.
CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash text NOT NULL,
    created_at    timestamp NOT NULL
);
CREATE INDEX users_created ON users (created_at, id);
