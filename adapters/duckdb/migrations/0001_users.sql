CREATE TABLE users (
    id            VARCHAR PRIMARY KEY,
    email         VARCHAR NOT NULL UNIQUE,
    role          VARCHAR NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
