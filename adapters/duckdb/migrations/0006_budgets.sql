-- Budgets. `budgets` holds an admin's override of the server's default (no row: the
-- default applies; limit_usd NULL: unlimited). `spend` is the ledger: one row per call,
-- reserved before it is sent upstream, then settled (amount = what it cost) or released.
-- A row counts in the period of its created_at. Both go with their user
-- (generations.USER_OWNED_TABLES).
CREATE TABLE budgets (
    user_id    VARCHAR PRIMARY KEY,
    limit_usd  DECIMAL(18, 9),
    period     VARCHAR NOT NULL CHECK (period IN ('day', 'week', 'month', 'none'))
);

CREATE TABLE spend (
    id            VARCHAR PRIMARY KEY,
    user_id       VARCHAR NOT NULL,
    amount        DECIMAL(18, 9) NOT NULL CHECK (amount >= 0),
    state         VARCHAR NOT NULL CHECK (state IN ('reserved', 'settled', 'released')),
    created_at    TIMESTAMP NOT NULL,
    settled_at    TIMESTAMP,
    generation_id VARCHAR
);
CREATE INDEX spend_user ON spend (user_id, created_at);
