-- Several nodes on one PostgreSQL (docs/production.md): which node runs a store surface's sync. A run claims
-- its row before it reads the watermark and renews it while it runs; a finished run deletes it. A row whose
-- lease ran out belongs to a node that stopped mid-run, and another node takes the run over from the saved
-- watermark. Embedded H2 has one node and never writes here.
CREATE TABLE sync_leases (
    store_id    VARCHAR(200)  NOT NULL,
    surface     VARCHAR(50)   NOT NULL,
    holder      VARCHAR(200)  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (store_id, surface)
);
