-- The login throttle (security.md #7) shared by every API process: one row per password
-- check and key (`client:<address>`, `account:<email>`, `familiar:<address> <email>`),
-- in flight until the check reports back, and the addresses an account signed in from.
-- Rows older than the window are purged by the throttle itself (adapters/postgres/throttle.py).
CREATE SEQUENCE login_check_ids;

CREATE TABLE login_checks (
    key        text NOT NULL,
    slot_id    bigint NOT NULL,
    at         timestamp NOT NULL,
    in_flight  boolean NOT NULL,
    PRIMARY KEY (key, slot_id)
);
CREATE INDEX login_checks_slot ON login_checks (slot_id);
CREATE INDEX login_checks_at ON login_checks (at);

CREATE TABLE login_familiar (
    account  text NOT NULL,
    client   text NOT NULL,
    seen_at  timestamp NOT NULL,
    PRIMARY KEY (account, client)
);
CREATE INDEX login_familiar_seen ON login_familiar (seen_at);
