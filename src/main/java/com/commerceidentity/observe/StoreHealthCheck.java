package com.commerceidentity.observe;

import com.commerceidentity.store.StoreAnswerTally;
import com.commerceidentity.sync.SyncStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One store's health: DOWN while it refuses our credentials or a surface's last run failed. Neither readiness
 * nor liveness: one store's trouble must not take the feed, the look-ups and the other stores out of service.
 * It shows in {@code /observe/health} (every check) and {@code /observe/health/store:<id>}.
 */
public final class StoreHealthCheck extends AbstractHealthCheck {
    private final String storeId;
    private final List<String> surfaces;
    private final SyncStatus status;
    private final StoreAnswerTally answers;

    public StoreHealthCheck(String storeId, List<String> surfaces, SyncStatus status, StoreAnswerTally answers) {
        super("stores", "store:" + storeId);
        this.storeId = storeId;
        this.surfaces = List.copyOf(surfaces);
        this.status = status;
        this.answers = answers;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        StoreAnswerTally.Counts counts = answers.of(storeId);
        builder.detail("authFailures", counts.authFailures());
        builder.detail("errors", counts.errors());
        if (counts.refusingCredentials()) {
            problems.add("the store refuses our credentials (" + counts.lastError() + ")");
        }
        for (String surface : surfaces) {
            Map<String, Object> last = status.lastRun(storeId, surface);
            Object outcome = last == null ? "none yet" : last.get("outcome");
            builder.detail(surface + ".lastRun", outcome);
            if ("failed".equals(outcome)) {
                problems.add(surface + ": last run failed: " + last.getOrDefault("message", "no reason given"));
            }
        }
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", problems)).down();
        }
    }
}
