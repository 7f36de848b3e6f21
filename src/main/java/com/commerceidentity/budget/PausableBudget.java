package com.commerceidentity.budget;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bucket-based budgets share: a gate every caller honours while the platform has asked us to wait,
 * and the counters ops see in the budget state.
 */
abstract class PausableBudget implements RateBudget {
    protected final PauseGate gate;
    protected final AtomicLong sent = new AtomicLong();
    protected final AtomicLong rateLimited = new AtomicLong();

    protected PausableBudget(PauseGate gate) {
        this.gate = gate;
    }

    @Override
    public final void pause(long millis) {
        gate.pause(millis);
    }

    /** The policy's own figures (limits, what is available, what the platform last reported). */
    protected abstract void describe(Map<String, Object> state);

    @Override
    public final Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("policy", policy());
        describe(s);
        s.put("pausedForMillis", gate.remainingMillis());
        s.put("requestsSent", sent.get());
        s.put("rateLimited", rateLimited.get());
        return s;
    }
}
