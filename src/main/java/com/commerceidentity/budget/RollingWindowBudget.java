package com.commerceidentity.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most {@code quota} requests in any rolling window of {@code windowMillis}, shared by every app on the store.
 *
 * <p>Why not Camel's throttle (or a token bucket): both give a permit back {@code window} after it was
 * <em>taken</em>, but the platform counts a request from when it <em>arrives</em>, later and by a varying amount,
 * so pacing at exactly the quota still draws 429s. Here a slot is released {@code window} after the
 * <em>response</em> came back, which is never earlier than the platform's own release. Each answer's window
 * figures ({@link LimitSignals.Window}, read by the platform module) then correct the picture: a smaller quota
 * is adopted, and slots the platform counts but we did not send (other apps on the store) are held as phantom
 * slots for a full window.
 *
 * <p>What an answer says is already old for the requests in flight: the platform counts each of them only when it
 * arrives, a round trip after we counted it, and another app can take a slot the platform just freed while ours
 * is on its way to it. With several requests in flight the window runs at its edge, so that race drew 429s. So
 * while other apps are seen spending, as many slots as they take in two round trips (the request's own flight and
 * the wait for the answer that would show their use) are kept free for them.
 */
public final class RollingWindowBudget implements RateBudget {
    private final List<Permit> slots = new ArrayList<>();
    private int quota;
    private long windowNanos;
    private long pausedUntil;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong heldForOtherAppsTotal = new AtomicLong();
    private volatile int lastReportedLeft = -1;
    /** From sending a request to reading its answer: rises at once with a slower answer, falls slowly. */
    private long roundTripNanos;
    private long lastRoundTripNanos;
    /** When the newest answer was read: other apps' requests since then are not in any answer yet. */
    private long lastAnswerNanos;
    private final LongSupplier nanoTime;

    public RollingWindowBudget(int quota, long windowMillis) {
        this(quota, windowMillis, System::nanoTime);
    }

    /** @param nanoTime the clock ({@link System#nanoTime} but in tests), the same one responses are stamped with */
    public RollingWindowBudget(int quota, long windowMillis, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        if (quota < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("a rolling window needs quota >= 1 and window >= 1 ms, got "
                    + quota + " per " + windowMillis + " ms");
        }
        this.quota = quota;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    @Override
    public String policy() {
        return "rolling-window";
    }

    @Override
    public synchronized Permit acquire(double cost) throws InterruptedException {
        while (true) {
            long wait = waitNanos();
            if (wait == 0) {
                Permit p = new Permit(nanoTime.getAsLong(), 1, false);
                slots.add(p);
                sent.incrementAndGet();
                return p;
            }
            // Woken early by a response that released or re-timed a slot; otherwise by the clock.
            TimeUnit.NANOSECONDS.timedWait(this, Math.max(1_000_000L, Math.min(wait, 1_000_000_000L)));
        }
    }

    @Override
    public synchronized double secondsFor(long requests) {
        long now = nanoTime.getAsLong();
        expire(now);
        long free = Math.max(0, quota - reserveForOtherApps(now) - slots.size());
        return Math.max(0, requests - free) * (windowNanos / 1e9) / quota;
    }

    @Override
    public synchronized long roundTripNanos() {
        return lastRoundTripNanos;
    }

    synchronized int quota() {
        return quota;
    }

    synchronized long windowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(windowNanos);
    }

    /** How long a request would wait for a permit now: 0 when it may go at once. */
    synchronized long waitNanos() {
        long now = nanoTime.getAsLong();
        expire(now);
        if (pausedUntil - now > 0) {
            return pausedUntil - now;
        }
        return slots.size() < quota - reserveForOtherApps(now) ? 0 : Math.max(1, nextRelease(now));
    }

    /**
     * Slots other apps are expected to take, at the pace the ones held for them show (those seen within the last
     * window), between the newest answer we read and a request sent now reaching the platform: two round trips
     * while answers come in, more when none has for longer (every request of ours waiting for the window, a
     * stall), since no answer has shown what the other apps took meanwhile. 0 when no other app is spending. Never
     * the whole quota.
     */
    private int reserveForOtherApps(long now) {
        long foreign = slots.stream().filter(p -> p.phantom).count();
        if (foreign == 0) {
            return 0;
        }
        long unseen = Math.max(now - lastAnswerNanos, roundTripNanos) + roundTripNanos;
        double expected = (double) foreign * unseen / windowNanos;
        return (int) Math.min(quota - 1, Math.max(1, Math.ceil(expected)));
    }

    /**
     * Learns from one answer. Two answers teach less than the others:
     * <ul>
     *   <li>A 429 was refused, so the platform did not count it: its slot comes back at once and every caller
     *       pauses for exactly the {@code Retry-After} or window reset it states. It adds no
     *       slots held for other apps: those are held a full window, so after a 429 whose reset is shorter than
     *       the window (the usual case: the oldest slot frees soon) the retry waited out the whole window.</li>
     *   <li>A 5xx (or 408) is a failure, not a statement about the window: its rate-limit figures, if any, come
     *       from whatever failed (a proxy's error page, a spec mock's example values) and are not learned. The
     *       request's own slot counts for a window, as it may have reached the platform. Believing such figures
     *       (none left) filled the window with slots held for other apps and paused the store, so a
     *       500 right after a 429 cost a second full window instead of the back-off a 500 alone costs.</li>
     * </ul>
     */
    @Override
    public synchronized long observe(Permit permit, ResponseSignals response) {
        long now = response.receivedNanos();
        lastAnswerNanos = now;
        permit.releaseNanos = now + windowNanos;
        long roundTrip = Math.max(0, now - permit.sentNanos);
        lastRoundTripNanos = roundTrip;
        roundTripNanos = roundTrip > roundTripNanos ? roundTrip : roundTripNanos - (roundTripNanos - roundTrip) / 8;
        if (response.status() >= 500 || response.status() == 408) {
            notifyAll();
            return -1;
        }
        LimitSignals.Window window = response.limits().window() == null ? LimitSignals.Window.UNREPORTED
                : response.limits().window();
        window.lengthMillis().ifPresent(w -> {
            if (w > 0) {
                windowNanos = TimeUnit.MILLISECONDS.toNanos(w);
                permit.releaseNanos = now + windowNanos;
            }
        });
        window.quota().ifPresent(q -> {
            if (q > 0) {
                quota = (int) q;
            }
        });
        var left = window.left();
        var reset = window.resetMillis();
        long retryWait = -1;
        if (response.status() == 429) {
            rateLimited.incrementAndGet();
            // The request was refused, so the platform did not count it; its slot comes back at once.
            slots.remove(permit);
            if (reset.isPresent() || response.retryAfterMillis().isPresent()) {
                retryWait = response.retryAfterMillis().orElse(reset.orElse(0));
                pauseLocked(retryWait);
            } else {
                retryWait = 0; // no headers: store-wide overload; the caller backs off exponentially
            }
            left.ifPresent(l -> lastReportedLeft = (int) l);
            notifyAll();
            return retryWait;
        }
        if (left.isPresent()) {
            lastReportedLeft = (int) left.getAsLong();
            holdForeignSlots(permit, now, (int) left.getAsLong());
            if (left.getAsLong() <= 0 && reset.isPresent()) {
                pauseLocked(reset.getAsLong());
            }
        }
        notifyAll();
        return retryWait;
    }

    @Override
    public synchronized void abandon(Permit permit) {
        // It may have reached the platform before failing, so it keeps counting for a full window.
        permit.releaseNanos = nanoTime.getAsLong() + windowNanos;
        notifyAll();
    }

    @Override
    public synchronized void pause(long millis) {
        pauseLocked(millis);
        notifyAll();
    }

    /** How long this node's callers still wait (a Retry-After, or the reset of a window the platform says is spent). */
    synchronized long pausedForMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(pausedUntil - nanoTime.getAsLong()));
    }

    private void pauseLocked(long millis) {
        pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /**
     * The platform counts {@code quota - left} requests in its window. Ours among them are this one and those sent
     * before it whose answer we already have; any beyond them (and beyond phantoms we already hold) were made by
     * someone else on the store. One of ours sent earlier but still unanswered may not have reached the platform
     * yet (answers overtake each other with several in flight): counting it as ours would hide another app's
     * request behind it, so it is not counted for now.
     *
     * <p>Slots held that way are given back when a newer answer shows the platform counting fewer: with pages in
     * flight side by side, our own earlier request has often reached the platform before the answer that counts it,
     * and ten such slots, each held a full window, cost a BigCommerce backfill a tenth of its last window at 250 ms
     * per answer. Only the answer to our most recently sent request that has been answered may give slots back: an
     * older one overtaken on the way states the count from before a newer one that revealed the other app. The
     * slots given back are the ones held longest, the first the platform lets go.
     */
    private void holdForeignSlots(Permit answered, long now, int left) {
        int counted = quota - left;
        int ours = 0;
        int phantoms = 0;
        for (Permit p : slots) {
            if (p.phantom) {
                phantoms++;
            } else if (p.sentNanos - answered.sentNanos <= 0 && p.releaseNanos != Long.MAX_VALUE) {
                ours++;
            }
        }
        int foreign = counted - ours - phantoms;
        if (foreign < 0 && phantoms > 0 && newestAnswered(answered)) {
            giveBackPhantoms(Math.min(phantoms, -foreign));
            return;
        }
        for (int i = 0; i < foreign; i++) {
            Permit phantom = new Permit(now, 1, true);
            phantom.releaseNanos = now + windowNanos; // the latest it can still count: a full window from now
            slots.add(phantom);
            heldForOtherAppsTotal.incrementAndGet();
        }
    }

    /** No request of ours sent after this one has been answered yet. */
    private boolean newestAnswered(Permit answered) {
        for (Permit p : slots) {
            if (!p.phantom && p != answered && p.releaseNanos != Long.MAX_VALUE && p.sentNanos - answered.sentNanos > 0) {
                return false;
            }
        }
        return true;
    }

    private void giveBackPhantoms(int count) {
        List<Permit> held = new ArrayList<>();
        for (Permit p : slots) {
            if (p.phantom) {
                held.add(p);
            }
        }
        held.sort(java.util.Comparator.comparingLong(p -> p.releaseNanos));
        slots.removeAll(held.subList(0, count));
    }

    private void expire(long now) {
        slots.removeIf(p -> p.releaseNanos - now <= 0);
    }

    private long nextRelease(long now) {
        long soonest = Long.MAX_VALUE;
        for (Permit p : slots) {
            if (p.releaseNanos != Long.MAX_VALUE) {
                soonest = Math.min(soonest, p.releaseNanos - now);
            }
        }
        return soonest == Long.MAX_VALUE ? windowNanos : Math.max(0, soonest);
    }

    @Override
    public synchronized Map<String, Object> state() {
        long now = nanoTime.getAsLong();
        expire(now);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("policy", policy());
        s.put("quota", quota);
        s.put("windowMillis", TimeUnit.NANOSECONDS.toMillis(windowNanos));
        s.put("inWindow", slots.size());
        s.put("heldForOtherApps", slots.stream().filter(p -> p.phantom).count());
        s.put("heldForOtherAppsTotal", heldForOtherAppsTotal.get());
        s.put("keptFreeForOtherApps", reserveForOtherApps(now));
        s.put("available", Math.max(0, quota - slots.size()));
        s.put("platformReportedLeft", lastReportedLeft);
        s.put("pausedForMillis", Math.max(0, TimeUnit.NANOSECONDS.toMillis(pausedUntil - now)));
        s.put("requestsSent", sent.get());
        s.put("rateLimited", rateLimited.get());
        return s;
    }
}
