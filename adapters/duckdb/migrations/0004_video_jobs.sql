-- The working state of a video job. Its public record is the `generations` row with the
-- same id (kind 'video'): that row holds the status, model, prompt, options, cost and
-- error code, and the finished video is a `media` row of it. Both rows are written in
-- one transaction. Deleting the generation deletes its job row; deleting a user deletes
-- theirs by `user_id` (generations.USER_OWNED_TABLES).
CREATE TABLE video_jobs (
    id                VARCHAR PRIMARY KEY,
    user_id           VARCHAR NOT NULL,
    upstream_id       VARCHAR,
    polling_url       VARCHAR,
    image_source      VARCHAR,
    polls             INTEGER NOT NULL DEFAULT 0,
    failures          INTEGER NOT NULL DEFAULT 0,
    download_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at      TIMESTAMP,  -- NULL once finished: the follower reads only this table
    deadline          TIMESTAMP NOT NULL,
    error             VARCHAR,
    updated_at        TIMESTAMP NOT NULL
);
