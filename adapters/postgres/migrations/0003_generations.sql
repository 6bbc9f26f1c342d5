-- Every generation, successful or failed, and the media rows of its outputs. Unlike DuckDB
-- (columnar scans), PostgreSQL needs the indexes the history page and deletions use.
CREATE TABLE generations (
    id                text PRIMARY KEY,
    user_id           text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('text', 'image', 'video')),
    model             text NOT NULL,
    served_model      text,
    provider          text,
    prompt            text NOT NULL,
    options           text,
    status            text NOT NULL,
    text              text,
    finish_reason     text,
    prompt_tokens     integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    total_tokens      integer NOT NULL DEFAULT 0,
    cost              double precision NOT NULL DEFAULT 0,
    error_code        text,
    upstream_id       text,
    created_at        timestamp NOT NULL,
    finished_at       timestamp
);
CREATE INDEX generations_user_history ON generations (user_id, created_at DESC, id DESC);
CREATE INDEX generations_created ON generations (created_at);

CREATE TABLE media (
    id            text PRIMARY KEY,
    owner_id      text NOT NULL,
    generation_id text NOT NULL,
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL,
    width         integer,
    height        integer,
    position      integer NOT NULL DEFAULT 0,
    created_at    timestamp NOT NULL
);
CREATE INDEX media_generation ON media (generation_id, position);
CREATE INDEX media_owner ON media (owner_id);
