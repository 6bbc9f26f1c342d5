-- API keys: only HMAC-SHA-256 digests of the keys are stored (security.md, API keys). The
-- digest is unique and indexed: the per-request lookup is one equality lookup on it.
CREATE TABLE api_keys (
    id           VARCHAR PRIMARY KEY,
    user_id      VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    prefix       VARCHAR NOT NULL,
    digest       VARCHAR NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_keys_user ON api_keys (user_id);
