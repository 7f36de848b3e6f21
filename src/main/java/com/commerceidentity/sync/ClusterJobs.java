package com.commerceidentity.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs of the whole feed that one node at a time runs when several share a database: the Kafka sink and the
 * feed's retention. Each is a lease in {@code sync_leases} (store {@value #HOLDER_STORE}, surface
 * {@code job/<name>}), taken by whichever node asks first, renewed by that node's heartbeat and taken over by
 * another node once it runs out (a node that dies: within {@code app.cluster.lease-seconds} + a heartbeat).
 *
 * <p>Why: two nodes' sinks each resume from what the topic holds, and racing they send an event twice; a node's
 * retention knows only its own sink's position in Kafka, so on a node without the sink it could delete events
 * Kafka has not got yet. One holder runs both jobs, so retention always knows where the sink stands.
 *
 * <p>A holder asks the database again once {@code recheck} has passed since its last confirmation, so a node that
 * was paused longer than the lease (and lost it meanwhile) stops at its next batch rather than sending beside
 * the new holder.
 */
public class ClusterJobs {
    static final String HOLDER_STORE = "@cluster";
    static final String PREFIX = "job/";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobs.class);

    private final SyncLeases leases;
    private final Clock clock;
    private final Duration recheck;
    private final Map<String, Instant> confirmed = new ConcurrentHashMap<>();

    public ClusterJobs(SyncLeases leases, Clock clock, Duration recheck) {
        this.leases = leases;
        this.clock = clock;
        this.recheck = recheck;
    }

    /** True when this node runs {@code job} now: it held the job's lease already, or has just taken it. */
    public boolean owns(String job) {
        Instant now = clock.instant();
        Instant last = confirmed.get(job);
        if (last != null && now.isBefore(last.plus(recheck)) && !now.isBefore(last)) {
            return true;
        }
        boolean won;
        try {
            won = leases.claim(HOLDER_STORE, PREFIX + job);
        } catch (IllegalStateException e) {
            LOG.warn("{}: cannot tell whether this node runs it ({}); asked again at its next round", job, e.getMessage());
            won = false;
        }
        if (won) {
            if (last == null) {
                LOG.info("{}: this node runs it for every node on the database", job);
            }
            confirmed.put(job, now);
        } else if (confirmed.remove(job) != null) {
            LOG.warn("{}: another node runs it now (this node's lease ran out)", job);
        }
        return won;
    }

    /** This node stops: another takes the jobs over at once instead of when the lease runs out. */
    public void handOver() {
        for (String job : confirmed.keySet()) {
            confirmed.remove(job);
            leases.handOver(HOLDER_STORE, PREFIX + job);
        }
    }
}
