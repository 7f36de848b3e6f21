package com.commerceidentity.webhook;

import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When {@code webhook-process} takes its next batch from the inbox. A fixed poll makes every event wait for the
 * next tick and caps the rate at one batch per tick; instead the inbox says when it committed something:
 * <ul>
 *   <li>full payloads (the record itself) start a batch {@code app.webhooks.linger-ms} after the first of
 *   them is stored, so an event reaches the feed in about the time its batch takes to apply;</li>
 *   <li>thin events (ids only) wait up to {@code app.webhooks.poll-ms}, so the ids of a
 *   burst share one fetch per store;</li>
 *   <li>a batch that came back full starts the next one at once (a backlog drains at full speed);</li>
 *   <li>otherwise a batch starts every {@code app.webhooks.poll-ms} anyway, which picks up events stored before
 *   a restart.</li>
 * </ul>
 */
public class WebhookWake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWake.class);
    private final long lingerMs;
    private final long pollMs;
    private final int batch;
    private final Predicate<String> thinPlatform;
    private final LongSupplier clockMs;
    private long wakeAt = Long.MAX_VALUE;
    private long lastRun = Long.MIN_VALUE / 2;

    /**
     * @param batch         {@code app.webhooks.batch}: a plan holding that many events means more are waiting
     * @param thinPlatform whether a platform id's events are worth gathering for up to {@code pollMs}
     */
    public WebhookWake(long lingerMs, long pollMs, int batch, Predicate<String> thinPlatform, LongSupplier clockMs) {
        this.lingerMs = Math.max(0, lingerMs);
        this.pollMs = Math.max(1, pollMs);
        this.batch = batch;
        this.thinPlatform = thinPlatform;
        this.clockMs = clockMs;
    }

    public WebhookWake(long lingerMs, long pollMs, int batch, Predicate<String> thinPlatform) {
        this(lingerMs, pollMs, batch, thinPlatform, () -> System.nanoTime() / 1_000_000);
    }

    public WebhookWake(long lingerMs, long pollMs, int batch, Set<String> thinPlatforms) {
        this(lingerMs, pollMs, batch, thinPlatforms::contains);
    }

    /** The inbox committed rows of these platforms. */
    public synchronized void committed(WebhookGroupCommit.Committed c) {
        boolean allThin = c.platforms().stream().allMatch(thinPlatform);
        long at = clockMs.getAsLong() + (allThin ? pollMs : lingerMs);
        if (at < wakeAt) {
            wakeAt = at;
            notifyAll();
        }
    }

    /** Called with the plan {@code webhook-process} just made: a full one means the inbox holds more. */
    public synchronized void planned(List<WebhookEvents.Work> plan) {
        int events = 0;
        for (WebhookEvents.Work w : plan) {
            events += w.seqs().size();
        }
        if (events >= batch) {
            wakeAt = Math.min(wakeAt, clockMs.getAsLong());
            LOG.debug("webhook inbox: a full batch of {} taken, the next follows at once", events);
        }
    }

    /**
     * Blocks until the next batch is due; never longer than {@code app.webhooks.poll-ms}, so the route (and a
     * shutdown waiting for it) is never held for long.
     */
    public synchronized void await() throws InterruptedException {
        while (true) {
            long now = clockMs.getAsLong();
            long due = Math.min(wakeAt, lastRun + pollMs);
            if (now >= due) {
                lastRun = now;
                wakeAt = Long.MAX_VALUE;
                return;
            }
            wait(Math.max(1, due - now));
        }
    }
}
