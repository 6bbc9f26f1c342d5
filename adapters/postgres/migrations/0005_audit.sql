CREATE TABLE audit_events (
    id          text PRIMARY KEY,
    occurred_at timestamp NOT NULL,
    action      text NOT NULL,
    actor_id    text,
    target_id   text,
    outcome     text NOT NULL,
    detail      text
);
CREATE INDEX audit_events_recent ON audit_events (occurred_at DESC, id DESC);
