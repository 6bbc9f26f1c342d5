-- No foreign key to users, as in DuckDB: tokens are deleted with their user in the same
-- transaction by the repositories, so both engines behave alike.
CREATE TABLE refresh_tokens (
    jti         text PRIMARY KEY,
    user_id     text NOT NULL,
    family_id   text NOT NULL,
    parent_jti  text,
    issued_at   timestamp NOT NULL,
    expires_at  timestamp NOT NULL,
    revoked_at  timestamp,
    replaced_by text
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
