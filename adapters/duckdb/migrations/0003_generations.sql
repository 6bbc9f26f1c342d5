-- Every generation, successful or failed. Narrow numeric columns for the stats queries;
-- prompt and text are only read for one user's history.
CREATE TABLE generations (
    id                VARCHAR PRIMARY KEY,
    user_id           VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('text', 'image', 'video')),
    model             VARCHAR NOT NULL,
    served_model      VARCHAR,
    provider          VARCHAR,
    prompt            VARCHAR NOT NULL,
    options           VARCHAR,
    status            VARCHAR NOT NULL,
    text              VARCHAR,
    finish_reason     VARCHAR,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens      INTEGER NOT NULL DEFAULT 0,
    cost              DOUBLE NOT NULL DEFAULT 0,
    error_code        VARCHAR,
    upstream_id       VARCHAR,
    created_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP
);

CREATE TABLE media (
    id            VARCHAR PRIMARY KEY,
    owner_id      VARCHAR NOT NULL,
    generation_id VARCHAR NOT NULL,
    content_type  VARCHAR NOT NULL,
    size_bytes    BIGINT NOT NULL,
    width         INTEGER,
    height        INTEGER,
    position      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);
