package com.commerceidentity.sync;

import java.util.List;

/**
 * Which node runs a store surface's sync when several share one database: a run holds the surface's lease from
 * before it reads the watermark until it has saved its last one. One node alone needs none ({@link #local}).
 */
public interface SyncLeases {

    /** Takes the surface's lease for a run about to start; false when another node's run holds it. */
    boolean claim(String storeId, String surface);

    /** Keeps the leases of this node's runs alive (a node that stops renewing is taken for dead); every heartbeat. */
    void renewHeld();

    /** The run ended (completed or failed): the next trigger on any node may run the surface. */
    void release(String storeId, String surface);

    /**
     * This node stops with the run unfinished (a backfill cut short by a shutdown): the lease is given up at once,
     * so another node takes the run over from the saved watermark without waiting for the lease to run out.
     */
    void handOver(String storeId, String surface);

    /**
     * Stops renewing a lease without giving it up: it stays taken until it runs out. A once-a-day job (the
     * reconcile) keeps the other nodes, whose crons fire at about the same time, from running it again.
     */
    void letLapse(String storeId, String surface);

    /** Surfaces whose run's node stopped renewing its lease mid-run: another node takes them over. */
    List<SyncRetries.Due> orphaned();

    /** One node on its own database: its own runs are the only ones (SyncRuns keeps them apart). */
    static SyncLeases local() {
        return new SyncLeases() {
            @Override
            public boolean claim(String storeId, String surface) {
                return true;
            }

            @Override
            public void renewHeld() {
            }

            @Override
            public void release(String storeId, String surface) {
            }

            @Override
            public void handOver(String storeId, String surface) {
            }

            @Override
            public void letLapse(String storeId, String surface) {
            }

            @Override
            public List<SyncRetries.Due> orphaned() {
                return List.of();
            }
        };
    }
}
