package com.commerceidentity.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync leases in {@code sync_leases} on a PostgreSQL shared by several nodes. A claim is one {@code INSERT ..
 * ON CONFLICT DO UPDATE .. WHERE} that succeeds only on a free, expired or own row, so two nodes claiming at
 * once cannot both win. Expiry is judged by each node's clock: nodes keep their clocks in step (NTP), as
 * clustered schedulers require too, and a lease lasts several heartbeats to absorb the difference.
 */
public class DatabaseSyncLeases implements SyncLeases {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSyncLeases.class);
    private final DataSource db;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final Set<SyncRetries.Due> held = ConcurrentHashMap.newKeySet();

    public DatabaseSyncLeases(DataSource db, Clock clock, String node, Duration lease) {
        this.db = db;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
    }

    @Override
    public boolean claim(String storeId, String surface) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO sync_leases"
                + " (store_id, surface, holder, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (store_id, surface) DO UPDATE"
                + " SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
                + " WHERE sync_leases.holder = EXCLUDED.holder OR sync_leases.expires_at < ?")) {
            ps.setString(1, storeId);
            ps.setString(2, surface);
            ps.setString(3, node);
            ps.setTimestamp(4, Timestamp.from(clock.instant().plus(lease)));
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            boolean won = ps.executeUpdate() == 1;
            if (won) {
                held.add(new SyncRetries.Due(storeId, surface));
            }
            return won;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim the sync lease of " + storeId + "/" + surface + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Renews this node's leases every {@code heartbeatMillis} on a thread of their own, not from a route: a node
     * shutting down stops its routes' timers first but lets a running sync finish its page, and that run must keep
     * its lease until it has saved its watermark, or another node would run the surface beside it.
     */
    public void heartbeat(ScheduledExecutorService heartbeats, long heartbeatMillis) {
        heartbeats.scheduleWithFixedDelay(this::renewHeld, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void renewHeld() {
        if (held.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE sync_leases"
                + " SET expires_at = ? WHERE store_id = ? AND surface = ? AND holder = ?")) {
            for (SyncRetries.Due d : held) {
                ps.setTimestamp(1, Timestamp.from(clock.instant().plus(lease)));
                ps.setString(2, d.storeId());
                ps.setString(3, d.surface());
                ps.setString(4, node);
                if (ps.executeUpdate() == 0) {
                    // This node was taken for dead (paused longer than the lease) and another runs the surface
                    // now. Both runs commit the same records; the graph applies each version once.
                    LOG.warn("sync {}/{}: the lease of node {} ran out and another node took the surface over",
                            d.storeId(), d.surface(), node);
                    held.remove(d);
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot renew the sync leases of node {} (tried again at the next heartbeat): {}", node,
                    e.getMessage());
        }
    }

    @Override
    public void release(String storeId, String surface) {
        held.remove(new SyncRetries.Due(storeId, surface));
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM sync_leases WHERE store_id = ? AND surface = ? AND holder = ?")) {
            ps.setString(1, storeId);
            ps.setString(2, surface);
            ps.setString(3, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            // the lease runs out by itself; another node then takes over a run that had in fact ended (harmless)
            LOG.warn("cannot release the sync lease of {}/{}: {}", storeId, surface, e.getMessage());
        }
    }

    @Override
    public void handOver(String storeId, String surface) {
        held.remove(new SyncRetries.Due(storeId, surface));
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE sync_leases"
                + " SET expires_at = ? WHERE store_id = ? AND surface = ? AND holder = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minusSeconds(1)));
            ps.setString(2, storeId);
            ps.setString(3, surface);
            ps.setString(4, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot hand the sync of {}/{} over (another node takes it once the lease runs out): {}",
                    storeId, surface, e.getMessage());
        }
    }

    @Override
    public void letLapse(String storeId, String surface) {
        held.remove(new SyncRetries.Due(storeId, surface));
    }

    @Override
    public List<SyncRetries.Due> orphaned() {
        List<SyncRetries.Due> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT store_id, surface FROM sync_leases WHERE expires_at < ? AND surface NOT LIKE '"
                        + SyncReconcile.LEASE_PREFIX + "%' AND store_id <> '" + ClusterJobs.HOLDER_STORE
                        + "' ORDER BY store_id, surface")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SyncRetries.Due(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot read which sync runs other nodes left unfinished: {}", e.getMessage());
        }
        return out;
    }
}
