package com.commerceidentity.drop;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files of the inbox whose records the database did not commit (a lock that timed out, a connection lost, a full
 * disk): not the file's fault, so the file stays in the inbox and is read again, but not at every poll.
 *
 * <p>Why not {@code .error/}: moving it there asks ops to hand a good export in again for a failure of ours, and
 * until they do, its records are missing from the feed (seen after a {@code kill -9}: the restarted app's first
 * batch timed out on a lock and the file went to {@code .error/} with 1,000 of 20,000 records never applied).
 * Reading it again is safe: records already committed come back unchanged and publish nothing.
 *
 * <p>Why not at once: a database that is down for minutes would have the inbox re-read the file in a loop. The
 * wait doubles from {@code first} up to {@code longest} while the failures go on.
 */
public class InboxRetries {
    private final Duration first;
    private final Duration longest;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(int failures, Instant notBefore) {
    }

    public InboxRetries(Duration first, Duration longest, Clock clock) {
        this.first = first;
        this.longest = longest;
        this.clock = clock;
    }

    /**
     * A failure is the database's when a SQL error that is not about the data is behind it: data exceptions
     * (SQLSTATE class 22), constraint violations (23) and statements the database refuses (42) would fail the
     * same way on every read, so they stay the file's.
     */
    public static boolean databaseFailure(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || !(state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
            }
        }
        return false;
    }

    /** Holds the file back and says how long. */
    public Duration hold(String relative) {
        Held before = held.get(relative);
        int failures = before == null ? 1 : before.failures() + 1;
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(longest) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(longest) > 0) {
            wait = longest;
        }
        held.put(relative, new Held(failures, clock.instant().plus(wait)));
        return wait;
    }

    /** True while a held file's wait is not over. */
    public boolean held(String relative) {
        Held h = held.get(relative);
        return h != null && h.notBefore() != null && clock.instant().isBefore(h.notBefore());
    }

    /** The file went through: a later file of that name starts afresh. */
    public void cleared(String relative) {
        held.remove(relative);
    }
}
