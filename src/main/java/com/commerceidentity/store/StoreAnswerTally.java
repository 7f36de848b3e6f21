package com.commerceidentity.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each store answered, for metrics and the store's health check: refused credentials (401, 403) and
 * failures (5xx, 408, no answer), and whether the store is refusing our credentials right now (its latest answer
 * was a 401 or 403; any success clears it).
 */
public final class StoreAnswerTally {
    /** One store's figures. */
    public static final class Counts {
        private final LongAdder authFailures = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private volatile boolean refusingCredentials;
        private volatile String lastError;

        public long authFailures() {
            return authFailures.sum();
        }

        public long errors() {
            return errors.sum();
        }

        public boolean refusingCredentials() {
            return refusingCredentials;
        }

        public String lastError() {
            return lastError;
        }
    }

    private final Map<String, Counts> byStore = new ConcurrentHashMap<>();

    public Counts of(String storeId) {
        return byStore.computeIfAbsent(storeId, id -> new Counts());
    }

    void answered(String storeId, int status) {
        Counts c = of(storeId);
        if (status == 401 || status == 403) {
            c.authFailures.increment();
            c.refusingCredentials = true;
            c.lastError = "HTTP " + status + " (credentials refused)";
        } else if (status >= 500 || status == 408) {
            c.errors.increment();
            c.lastError = "HTTP " + status;
        } else if (status < 400) {
            c.refusingCredentials = false;
        }
    }

    void noAnswer(String storeId, String why) {
        Counts c = of(storeId);
        c.errors.increment();
        c.lastError = why;
    }
}
