-- API keys: only HMAC-SHA-256 digests are stored; the per-request lookup is one equality
-- lookup on the unique digest.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    user_id      text NOT NULL,
    name         text NOT NULL,
    prefix       text NOT NULL,
    digest       text NOT NULL UNIQUE,
    created_at   timestamp NOT NULL,
    expires_at   timestamp,
    revoked_at   timestamp,
    last_used_at timestamp
);
CREATE INDEX api_keys_user ON api_keys (user_id);
