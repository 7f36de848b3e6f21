package com.commerceidentity.sandbox;

import java.util.SplittableRandom;

/**
 * How long a simulator takes to answer: {@code sandbox.<platform>.latency-ms}, either a fixed {@code 250} or a
 * uniform range {@code 100-500}, default 0 (tests stay fast). Real stores answer a page in 100–500 ms; a sync
 * that keeps one request in flight looks perfect against a simulator answering in a millisecond and uses a
 * fraction of the budget against a real one. Draws come from {@code sandbox.seed}, so a run is repeatable.
 */
public final class Latency {
    public static final Latency NONE = new Latency(0, 0, 0);

    private final long minMillis;
    private final long maxMillis;
    private final SplittableRandom random;

    private Latency(long minMillis, long maxMillis, long seed) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("latency-ms must be N or MIN-MAX with 0 <= MIN <= MAX, got "
                    + minMillis + "-" + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = new SplittableRandom(seed);
    }

    /** {@code 250} or {@code 100-500}; null or blank is no latency. */
    public static Latency parse(String spec, long seed) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        String s = spec.trim();
        int dash = s.indexOf('-', 1);
        try {
            return dash < 0 ? new Latency(Long.parseLong(s), Long.parseLong(s), seed)
                    : new Latency(Long.parseLong(s.substring(0, dash).trim()), Long.parseLong(s.substring(dash + 1).trim()), seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("latency-ms must be N or MIN-MAX (milliseconds), got '" + spec + "'", e);
        }
    }

    /** The platform's knob from the sandbox settings; each platform draws from its own stream of the seed. */
    public static Latency of(SandboxSettings settings, String platform) {
        return parse(settings.platform(platform, "latency-ms", null), settings.seed() ^ platform.hashCode());
    }

    /** The delay before the next answer, in milliseconds (0: answer at once). */
    public synchronized long next() {
        return minMillis == maxMillis ? minMillis : random.nextLong(minMillis, maxMillis + 1);
    }

    public boolean none() {
        return maxMillis == 0;
    }

    @Override
    public String toString() {
        return minMillis == maxMillis ? Long.toString(minMillis) : minMillis + "-" + maxMillis;
    }
}
