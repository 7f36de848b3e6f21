package com.commerceidentity.budget;

import java.util.Map;

/**
 * A rolling window spent by several nodes: each request needs a slot in this node's window (which keeps learning
 * the quota, the window and other apps' spending from the platform's answers, and honours its pauses) and a slot
 * in the window all nodes count in the database. Without the second, two nodes each sending their full quota
 * at once draw 429s. A pause the platform asks one node for (Retry-After, a spent window's reset) holds them all.
 */
final class SharedRollingWindowBudget implements RateBudget {
    private final RollingWindowBudget local;
    private final DatabaseWindow shared;
    private final PauseGate pauses;

    SharedRollingWindowBudget(RollingWindowBudget local, DatabaseWindow shared, PauseGate pauses) {
        this.local = local;
        this.shared = shared;
        this.pauses = pauses;
    }

    @Override
    public Permit acquire(double cost) throws InterruptedException {
        pauses.awaitOpen();
        Permit permit = local.acquire(cost);
        try {
            permit.sharedSlot = shared.claim(local.quota(), local.windowMillis());
        } catch (InterruptedException | RuntimeException e) {
            local.abandon(permit);
            throw e;
        }
        return permit;
    }

    @Override
    public long observe(Permit permit, ResponseSignals response) {
        long pausedBefore = local.pausedForMillis();
        long wait = local.observe(permit, response);
        long paused = local.pausedForMillis();
        if (paused > pausedBefore) {
            // this answer started or lengthened the wait; the answers that merely arrive during it write nothing
            pauses.pause(paused);
        }
        if (response.status() == 429) {
            shared.giveBack(permit.sharedSlot);
        } else {
            shared.releaseAfter(permit.sharedSlot, local.windowMillis());
        }
        return wait;
    }

    @Override
    public double secondsFor(long requests) {
        return local.secondsFor(requests);
    }

    @Override
    public long roundTripNanos() {
        return local.roundTripNanos();
    }

    @Override
    public void abandon(Permit permit) {
        local.abandon(permit);
        shared.releaseAfter(permit.sharedSlot, local.windowMillis());
    }

    @Override
    public void pause(long millis) {
        local.pause(millis);
        pauses.pause(millis);
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = local.state();
        s.put("allNodesInWindow", shared.counted());
        s.put("pausedForMillis", Math.max(((Number) s.get("pausedForMillis")).longValue(), pauses.remainingMillis()));
        return s;
    }

    @Override
    public String policy() {
        return local.policy();
    }
}
