-- The per-user generation limits shared by every API process (adapters/postgres/limiter.py).
-- A request's slot: it counts in its user's sliding minute from `started_at`, and in flight
-- until it is freed (held_until NULL) or, if its process died, until `held_until` lapses.
CREATE TABLE generation_slots (
    id          text PRIMARY KEY,
    user_id     text NOT NULL,
    started_at  timestamp NOT NULL,
    held_until  timestamp
);
CREATE INDEX generation_slots_user ON generation_slots (user_id, started_at);
CREATE INDEX generation_slots_started ON generation_slots (started_at);

-- A video job in progress counts against its user's limit until it ends (or lapses).
CREATE TABLE video_job_slots (
    job_id      text PRIMARY KEY,
    user_id     text NOT NULL,
    held_until  timestamp NOT NULL
);
CREATE INDEX video_job_slots_user ON video_job_slots (user_id);
CREATE INDEX video_job_slots_until ON video_job_slots (held_until);
