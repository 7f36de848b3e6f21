package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A leaky bucket per store and API (say 40 deep, draining 2 requests/s), shared by every app on the store.
 * Mirrored as a Bucket4j token bucket: free tokens = capacity - fill.
 *
 * <p>Answers that report the platform's fill ({@link LimitSignals.BucketFill}, read by the platform module) correct
 * the picture: the reported size is adopted (plans differ and not every size is published) and a fill higher
 * than ours means another app is spending, so those tokens are taken too. {@code headroom} tokens are never
 * spent: our clock starts a request before the platform sees it, and one spare request absorbs that jitter at
 * full speed.
 *
 * <p>Our bucket counts a request when it leaves, the platform's when it arrives: a fill reported while others of
 * ours are still on their way does not hold them yet. Those sent after the answered one are added to the reported
 * fill before comparing, or another app's requests (as many as we have in flight) would pass for ours and never
 * be taken: with several requests in flight beside another app, that drew 429s. Those sent before it have arrived
 * before it, so the fill holds them already: adding them too took each for another app's, and with lanes side by
 * side on Plus that held 59 requests of room for apps that did not exist (3 s of a 20-a-second bucket). And another app can fill the room the bucket just
 * drained while our request is on its way to it: while other apps are seen spending, as many requests as they
 * make in two round trips (at the pace seen over the time the bucket takes to drain) are left to them.
 */
public final class LeakyBucketBudget extends PausableBudget {
    /** At least this long between two tries, whatever the estimate: no spinning on a bucket other nodes share. */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final Bucket bucket;
    private volatile long capacity;
    private volatile double leakPerSecond;
    private final int headroom;
    private final AtomicLong foreignTaken = new AtomicLong();
    /** Our requests sent and not yet answered (nor abandoned), by when each was sent. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Integer> inFlightSent =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile String lastCallLimit = "";
    /** When other apps' requests were seen, and how many: the pace they spend at. */
    private final java.util.Deque<long[]> foreignSeen = new java.util.ArrayDeque<>();
    /** From sending a request to reading its answer: rises at once with a slower answer, falls slowly. */
    private volatile long roundTripNanos;
    private volatile long lastRoundTripNanos;

    /** How a request waiting for room waits: {@code TimeUnit.NANOSECONDS::sleep}, or a test's clock moving on. */
    @FunctionalInterface
    interface Sleep {
        void nanos(long nanos) throws InterruptedException;
    }

    private final Sleep sleep;
    /**
     * This node's requests wait for room one at a time, first come first served: the one at the head takes the
     * first token past the room kept free, and those behind it wait for the lock, not for tokens of their own.
     */
    private final ReentrantLock waitingForRoom = new ReentrantLock(true);

    public LeakyBucketBudget(long capacity, double leakPerSecond, int headroom) {
        this(capacity, leakPerSecond, headroom, Buckets::bucket, new PauseGate());
    }

    LeakyBucketBudget(long capacity, double leakPerSecond, int headroom, BucketFactory buckets, PauseGate gate) {
        this(capacity, leakPerSecond, headroom, buckets, gate, TimeUnit.NANOSECONDS::sleep);
    }

    LeakyBucketBudget(long capacity, double leakPerSecond, int headroom, BucketFactory buckets, PauseGate gate,
            Sleep sleep) {
        super(gate);
        this.sleep = sleep;
        this.capacity = capacity;
        this.leakPerSecond = leakPerSecond;
        this.headroom = Math.max(0, headroom);
        this.bucket = buckets.bucket(usable(capacity), leakPerSecond);
    }

    private long usable(long cap) {
        return Math.max(1, cap - headroom);
    }

    @Override
    public String policy() {
        return "leaky-bucket";
    }

    /**
     * Waits until the bucket has room for this request beyond the room kept free for other apps, then takes one
     * token. Kept-free room is only waited for, never taken: Bucket4j's blocking consume of 1 + kept tokens, with
     * the kept ones given back after, reserved them for every waiting request at once. Seven lanes waiting on a
     * Plus bucket then each stood behind the others' 5 kept tokens, and the run sent 2 to 6 requests a second
     * instead of 20 until the shop's bucket had drained to half (1.5-2.5 s at a time, twice in a 100,000 backfill).
     */
    @Override
    public Permit acquire(double cost) throws InterruptedException {
        waitingForRoom.lockInterruptibly();
        try {
            while (true) {
                gate.awaitOpen();
                long keptFree = Math.min(usable(capacity) - 1, reserveForOtherApps() + unseenForOneRoundTrip());
                ConsumptionProbe room = bucket.tryConsumeAndReturnRemaining(1 + keptFree);
                if (room.isConsumed()) {
                    if (keptFree > 0) {
                        bucket.addTokens(keptFree);
                    }
                    break;
                }
                sleep.nanos(Math.max(room.getNanosToWaitForRefill(), MIN_WAIT_NANOS));
            }
        } finally {
            waitingForRoom.unlock();
        }
        sent.incrementAndGet();
        Permit permit = new Permit(System.nanoTime(), 1, false);
        inFlightSent.merge(permit.sentNanos, 1, Integer::sum);
        return permit;
    }

    @Override
    public long observe(Permit permit, ResponseSignals response) {
        settle(permit);
        long roundTrip = Math.max(0, response.receivedNanos() - permit.sentNanos);
        lastRoundTripNanos = roundTrip;
        long rt = roundTripNanos;
        roundTripNanos = roundTrip > rt ? roundTrip : rt - (rt - roundTrip) / 8;
        LimitSignals.BucketFill fill = response.limits().bucket();
        if (fill != null) {
            lastCallLimit = fill.used() + "/" + fill.size();
            learn(fill.used(), fill.size(), permit.sentNanos, roundTrip);
        }
        if (response.status() != 429) {
            return -1;
        }
        rateLimited.incrementAndGet();
        // A full platform bucket: ours is empty too, whatever we thought.
        long free = bucket.getAvailableTokens();
        if (free > 0) {
            bucket.consumeIgnoringRateLimits(free);
        }
        long wait = response.retryAfterMillis().orElse((long) Math.ceil(1000 / leakPerSecond));
        gate.pause(wait);
        return wait;
    }

    private void learn(long used, long cap, long answeredSentNanos, long roundTrip) {
        if (cap > 0 && cap != capacity) {
            // A larger bucket than assumed (Plus is 80 deep where the standard plan's 40 is assumed) is that much
            // more room now: kept as it was (AS_IS), a Plus backfill began with half its burst and ended 1.25 x its
            // minimum. The fill reported just below corrects the room either way.
            long before = capacity;
            capacity = cap;
            bucket.replaceConfiguration(Buckets.of(usable(cap), leakPerSecond),
                    cap > before ? TokensInheritanceStrategy.ADDITIVE : TokensInheritanceStrategy.AS_IS);
        }
        // The fill does not hold our requests still on their way (it may hold some of them; then we wait a little).
        long sentAfter = count(inFlightSent.tailMap(answeredSentNanos, false));
        long platformFree = usable(capacity) - used - sentAfter;
        long ours = bucket.getAvailableTokens();
        // Negative free room (the platform is fuller than our headroom allows) becomes a debt: we wait it out.
        // The platform counted the answered request somewhere between its sending and this reading, and ours has
        // drained since then: up to a round trip's leak of the difference is that, not another app (with answers
        // read late on a busy machine, it took 200-401 of a Plus backfill's requests for other apps'). Another
        // app's spending within that much goes unseen; unseenForOneRoundTrip keeps that much room free instead.
        long foreign = ours - platformFree - leakDuring(roundTrip);
        if (foreign > 0) {
            bucket.consumeIgnoringRateLimits(foreign);
            foreignTaken.addAndGet(foreign);
            synchronized (foreignSeen) {
                foreignSeen.addLast(new long[] {System.nanoTime(), foreign});
            }
        }
    }

    @Override
    public double secondsFor(long requests) {
        return Math.max(0, requests - bucket.getAvailableTokens()) / leakPerSecond;
    }

    @Override
    public long roundTripNanos() {
        return lastRoundTripNanos;
    }

    /** A plan change also changes the drain rate, which no answer reports. */
    public void leakPerSecond(double perSecond) {
        leakPerSecond = perSecond;
        bucket.replaceConfiguration(Buckets.of(usable(capacity), perSecond), TokensInheritanceStrategy.AS_IS);
    }

    @Override
    public void abandon(Permit permit) {
        // The platform may have counted it; it drains on its own like any other request.
        settle(permit);
    }

    /** Whole requests the bucket drains in {@code nanos}. */
    private long leakDuring(long nanos) {
        return (long) Math.floor(leakPerSecond * nanos / 1e9);
    }

    /**
     * Room never spent: what another app may have taken without our seeing it, at most a round trip's leak
     * ({@link #learn}). It costs that much of the burst, not of the pace, which is the leak's either way.
     */
    private int unseenForOneRoundTrip() {
        return (int) Math.min(usable(capacity) - 1, leakDuring(roundTripNanos));
    }

    /** Requests other apps are expected to make in two round trips; 0 when none was seen lately. */
    private int reserveForOtherApps() {
        long drainNanos = (long) (capacity / leakPerSecond * 1e9);
        long now = System.nanoTime();
        long seen = 0;
        synchronized (foreignSeen) {
            while (!foreignSeen.isEmpty() && now - foreignSeen.peekFirst()[0] > drainNanos) {
                foreignSeen.removeFirst();
            }
            for (long[] s : foreignSeen) {
                seen += s[1];
            }
        }
        if (seen == 0) {
            return 0;
        }
        double expected = (double) seen * 2 * roundTripNanos / drainNanos;
        return (int) Math.min(usable(capacity) - 1, Math.max(1, Math.ceil(expected)));
    }

    private void settle(Permit permit) {
        if (!permit.settled) {
            permit.settled = true;
            inFlightSent.computeIfPresent(permit.sentNanos, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    @Override
    protected void describe(Map<String, Object> s) {
        s.put("capacity", capacity);
        s.put("leakPerSecond", leakPerSecond);
        s.put("headroom", headroom);
        s.put("available", Math.max(0, bucket.getAvailableTokens()));
        s.put("platformCallLimit", lastCallLimit);
        s.put("takenByOtherApps", foreignTaken.get());
        s.put("inFlight", count(inFlightSent));
        s.put("keptFreeForOtherApps", reserveForOtherApps());
        s.put("keptFreeForUnseenSpending", unseenForOneRoundTrip());
    }

    private static long count(Map<Long, Integer> sent) {
        return sent.values().stream().mapToLong(Integer::longValue).sum();
    }
}
