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

-- Take one of a user's slots in one round trip, atomic across processes (the user's advisory
-- lock is held until the statement's transaction ends): 0 when taken, -1 when the user has
-- `max_concurrent` in flight, else the seconds until the oldest start leaves the minute.
-- The user's rows past the minute and freed or lapsed are deleted on the way (SKIP LOCKED:
-- never waiting for a sweep's rows).
CREATE FUNCTION take_generation_slot(
    p_user text, p_id text, p_now timestamp, p_until timestamp,
    p_per_minute integer, p_max_concurrent integer
) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    minute_ago timestamp := p_now - interval '60 seconds';
    in_flight bigint;
    started bigint;
    oldest timestamp;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('generations ' || p_user, 0));
    DELETE FROM generation_slots WHERE id IN (
        SELECT id FROM generation_slots
        WHERE user_id = p_user AND started_at <= minute_ago
          AND (held_until IS NULL OR held_until <= p_now)
        FOR UPDATE SKIP LOCKED);
    SELECT count(*) FILTER (WHERE held_until > p_now),
           count(*) FILTER (WHERE started_at > minute_ago),
           min(started_at) FILTER (WHERE started_at > minute_ago)
      INTO in_flight, started, oldest
      FROM generation_slots WHERE user_id = p_user;
    IF in_flight >= p_max_concurrent THEN
        RETURN -1;
    END IF;
    IF started >= p_per_minute THEN
        RETURN extract(epoch FROM oldest - minute_ago);
    END IF;
    INSERT INTO generation_slots (id, user_id, started_at, held_until)
        VALUES (p_id, p_user, p_now, p_until);
    RETURN 0;
END
$$;
