-- The working state of a video job; its public record is the `generations` row with the
-- same id (see the DuckDB migration of the same number).
CREATE TABLE video_jobs (
    id                text PRIMARY KEY,
    user_id           text NOT NULL,
    upstream_id       text,
    polling_url       text,
    image_source      text,
    polls             integer NOT NULL DEFAULT 0,
    failures          integer NOT NULL DEFAULT 0,
    download_failures integer NOT NULL DEFAULT 0,
    next_poll_at      timestamp,  -- NULL once finished: the follower reads only this table
    deadline          timestamp NOT NULL,
    error             text,
    updated_at        timestamp NOT NULL
);
CREATE INDEX video_jobs_due ON video_jobs (next_poll_at, id) WHERE next_poll_at IS NOT NULL;
CREATE INDEX video_jobs_user ON video_jobs (user_id);
