-- Where each scheduled sync stands, per store and surface. The watermark is the update time from which the
-- next page is read (inclusive); the ids already committed at exactly that instant are skipped when it is
-- read again, so records sharing a timestamp across a page boundary are neither lost nor counted twice.
CREATE TABLE sync_state (
    store_id          VARCHAR(200)  NOT NULL,
    surface           VARCHAR(50)   NOT NULL,
    watermark         VARCHAR(40),
    seen_at_watermark VARCHAR(1000000) NOT NULL DEFAULT '',
    backfill_done     BOOLEAN       NOT NULL DEFAULT FALSE,
    updated_at        VARCHAR(40)   NOT NULL,
    PRIMARY KEY (store_id, surface)
);
