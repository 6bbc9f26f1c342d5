-- Budgets and the spend ledger (see the DuckDB migration of the same number). Amounts are
-- numeric(18, 9), read back as Decimal.
CREATE TABLE budgets (
    user_id    text PRIMARY KEY,
    limit_usd  numeric(18, 9),
    period     text NOT NULL CHECK (period IN ('day', 'week', 'month', 'none'))
);

CREATE TABLE spend (
    id            text PRIMARY KEY,
    user_id       text NOT NULL,
    amount        numeric(18, 9) NOT NULL CHECK (amount >= 0),
    state         text NOT NULL CHECK (state IN ('reserved', 'settled', 'released')),
    created_at    timestamp NOT NULL,
    settled_at    timestamp,
    generation_id text
);
CREATE INDEX spend_user ON spend (user_id, created_at);
CREATE INDEX spend_reserved ON spend (created_at) WHERE state = 'reserved';
