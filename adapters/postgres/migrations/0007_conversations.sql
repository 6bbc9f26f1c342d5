-- Conversations and their messages (see the DuckDB migration of the same number).
CREATE TABLE conversations (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    title      text NOT NULL,
    titled     boolean NOT NULL DEFAULT false,
    system     text,
    model      text NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL
);
CREATE INDEX conversations_user ON conversations (user_id, updated_at DESC, id DESC);

CREATE TABLE conversation_messages (
    id                text PRIMARY KEY,
    conversation_id   text NOT NULL,
    user_id           text NOT NULL,
    position          integer NOT NULL,
    role              text NOT NULL CHECK (role IN ('user', 'assistant')),
    content           text NOT NULL,
    status            text NOT NULL CHECK (status IN ('completed', 'failed', 'cancelled')),
    model             text,
    prompt_tokens     integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    total_tokens      integer NOT NULL DEFAULT 0,
    cost              double precision NOT NULL DEFAULT 0,
    error_code        text,
    superseded        boolean NOT NULL DEFAULT false,
    reply_to          text,
    generation_id     text,
    created_at        timestamp NOT NULL
);
CREATE INDEX conversation_messages_conversation
    ON conversation_messages (conversation_id, position);
CREATE INDEX conversation_messages_user ON conversation_messages (user_id);
