-- Portable between H2 (embedded default) and PostgreSQL: plain types, no vendor upserts.

CREATE TABLE identities (
    id           VARCHAR(40)  PRIMARY KEY,
    merged_into  VARCHAR(40),
    deleted      BOOLEAN      NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The key (platform:store:kind:sourceId) holds the account's platform, store, kind and source id; they are
-- not repeated in columns of their own, which keeps the row (and every batch insert) narrower.
CREATE TABLE accounts (
    account_key  VARCHAR(512) PRIMARY KEY,
    identity_id  VARCHAR(40)  NOT NULL,
    email_raw    VARCHAR(400),
    email_norm   VARCHAR(400),
    phone_raw    VARCHAR(100),
    phone_e164   VARCHAR(20),
    first_name   VARCHAR(300),
    last_name    VARCHAR(300),
    status       VARCHAR(10)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE,
    updated_at   TIMESTAMP WITH TIME ZONE,
    deleted_at   TIMESTAMP WITH TIME ZONE,
    version      TIMESTAMP WITH TIME ZONE,
    surface      VARCHAR(10)  NOT NULL,
    link_rule    VARCHAR(20)  NOT NULL,
    link_value   VARCHAR(400),
    linked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    input_ref    VARCHAR(1000)
);

CREATE INDEX accounts_by_email ON accounts (email_norm);
CREATE INDEX accounts_by_phone ON accounts (phone_e164);
CREATE INDEX accounts_by_identity ON accounts (identity_id);

CREATE TABLE feed_events (
    seq          BIGINT       PRIMARY KEY,
    event_type   VARCHAR(40)  NOT NULL,
    identity_id  VARCHAR(40)  NOT NULL,
    account_key  VARCHAR(512),
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The event document as UTF-8 JSON. Stored as bytes: the store copies them as they are, where text
    -- would be re-encoded character by character on every page write.
    payload      BYTEA        NOT NULL
);
