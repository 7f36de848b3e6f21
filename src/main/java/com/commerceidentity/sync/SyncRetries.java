package com.commerceidentity.sync;

import com.commerceidentity.budget.Backoff;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a failed run is tried again. A store that was down would otherwise wait for the next cron tick (up to
 * the whole interval after it is back); instead the run is tried again after a back-off that grows with each
 * consecutive failure, so a long outage is not hammered. A run that completes clears the count.
 */
public class SyncRetries {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRetries.class);

    /** What to run again: the same headers a cron trigger sets. */
    public record Due(String storeId, String surface) {
    }

    private record Pending(int failures, Instant at) {
    }

    private final Backoff backoff;
    private final Clock clock;
    private final Map<Due, Pending> pending = new ConcurrentHashMap<>();

    public SyncRetries(Backoff backoff, Clock clock) {
        this.backoff = backoff;
        this.clock = clock;
    }

    void failed(String storeId, String surface) {
        Due key = new Due(storeId, surface);
        Pending next = pending.merge(key, new Pending(1, null), (old, one) -> new Pending(old.failures() + 1, null));
        long delay = backoff.delayMillis(next.failures());
        pending.put(key, new Pending(next.failures(), clock.instant().plusMillis(delay)));
        LOG.info("sync {}/{}: tried again in {} s (failure {} in a row)", storeId, surface, (delay + 999) / 1000,
                next.failures());
    }

    void completed(String storeId, String surface) {
        pending.remove(new Due(storeId, surface));
    }

    /** The runs whose retry time has come; each is handed out once per failure. */
    public List<Due> due() {
        Instant now = clock.instant();
        List<Due> out = new ArrayList<>();
        pending.forEach((key, p) -> {
            if (p.at() != null && !p.at().isAfter(now)
                    && pending.replace(key, p, new Pending(p.failures(), null))) {
                out.add(key);
            }
        });
        return out;
    }
}
