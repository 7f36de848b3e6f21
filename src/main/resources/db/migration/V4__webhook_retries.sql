-- Failed webhook work is retried with back-off: how often it has failed and when it may run again live in the
-- row, so a restart neither forgets the count nor retries everything at once. A row out of attempts becomes
-- 'dead' and stays (the retention purge only removes applied rows) until ops re-queue it.
ALTER TABLE webhook_inbox ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE webhook_inbox ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;

CREATE INDEX webhook_inbox_by_due ON webhook_inbox (status, next_attempt_at);
