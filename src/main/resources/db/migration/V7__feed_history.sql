-- Bounded feed history (docs/feed-format.md, "Bootstrapping a consumer").
-- feed_snapshot: each identity's latest event (its full state) up to feed_history.compacted_seq; a merged-away
-- identity has no row. It is what GET /feed/snapshot serves and what survives once retention deletes events.
CREATE TABLE feed_snapshot (
    identity_id  VARCHAR(40)  PRIMARY KEY,
    seq          BIGINT       NOT NULL,
    payload      BYTEA        NOT NULL
);

-- One row. compacted_seq: events up to it are folded into feed_snapshot. horizon_seq: events up to it have been
-- deleted by retention; GET /feed?after= below it answers 410, and new events are numbered after it even when
-- no event is left in feed_events.
CREATE TABLE feed_history (
    id             INT     PRIMARY KEY,
    compacted_seq  BIGINT  NOT NULL,
    horizon_seq    BIGINT  NOT NULL
);
INSERT INTO feed_history (id, compacted_seq, horizon_seq) VALUES (1, 0, 0);
