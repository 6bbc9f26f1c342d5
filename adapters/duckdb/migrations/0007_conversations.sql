-- Conversations and their messages. user_id on both, so that deleting a user removes them
-- with one statement each. DuckDB uses its ART indexes for equality lookups only: the
-- list of a user's conversations is found by user_id, then sorted on (updated_at, id).
CREATE TABLE conversations (
    id         VARCHAR PRIMARY KEY,
    user_id    VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    titled     BOOLEAN NOT NULL DEFAULT false,
    system     VARCHAR,
    model      VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX conversations_user ON conversations (user_id);

CREATE TABLE conversation_messages (
    id                VARCHAR PRIMARY KEY,
    conversation_id   VARCHAR NOT NULL,
    user_id           VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    role              VARCHAR NOT NULL CHECK (role IN ('user', 'assistant')),
    content           VARCHAR NOT NULL,
    status            VARCHAR NOT NULL CHECK (status IN ('completed', 'failed', 'cancelled')),
    model             VARCHAR,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens      INTEGER NOT NULL DEFAULT 0,
    cost              DOUBLE NOT NULL DEFAULT 0,
    error_code        VARCHAR,
    superseded        BOOLEAN NOT NULL DEFAULT false,
    reply_to          VARCHAR,
    generation_id     VARCHAR,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id);
CREATE INDEX conversation_messages_user ON conversation_messages (user_id);
