-- No foreign key to users: DuckDB has no ON DELETE CASCADE and cannot delete a parent and
-- its children in one transaction (security.md section 5). Access ends through the
-- per-request user check; tokens are deleted with their user in one transaction.
CREATE TABLE refresh_tokens (
    jti         VARCHAR PRIMARY KEY,
    user_id     VARCHAR NOT NULL,
    family_id   VARCHAR NOT NULL,
    parent_jti  VARCHAR,
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP,
    replaced_by VARCHAR
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
