CREATE TABLE audit_events (
    id        VARCHAR PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    action    VARCHAR NOT NULL,
    actor_id  VARCHAR,
    target_id VARCHAR,
    outcome   VARCHAR NOT NULL,
    detail    VARCHAR
);
