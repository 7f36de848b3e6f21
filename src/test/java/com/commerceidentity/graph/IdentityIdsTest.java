package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Someone who sees one identity id (GET /identities answers with them) must not be able to name the next ones. */
class IdentityIdsTest {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long M1 = 0xbf58476d1ce4e5b9L;
    private static final long M2 = 0x94d049bb133111ebL;

    @Test
    void idsKeepTheirFormatAndSortByCreationTime() {
        IdentityIds ids = new IdentityIds();
        String first = ids.next(1_700_000_000_000L);
        String later = ids.next(1_700_000_000_001L);
        assertThat(first).matches("idn_[0-9a-f]{32}").startsWith("idn_018bcfe56800");
        assertThat(later).isGreaterThan(first);
    }

    /**
     * The attack that worked on SplittableRandom: its output is a bijective mix of its state, and the state only
     * grows by a fixed gamma, so inverting the random part of one id gives the random part of the next.
     */
    @Test
    void theRandomPartOfOneIdDoesNotPredictTheNext() {
        IdentityIds ids = new IdentityIds();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            issued.add(ids.next(1_700_000_000_000L));
        }
        int predicted = 0;
        for (int i = 0; i + 1 < issued.size(); i++) {
            long seen = Long.parseUnsignedLong(issued.get(i).substring(16, 32), 16);
            // nextLong then nextInt per id: the next id's nextLong is two gammas on
            long guess = mix64(unmix64(seen) + 2 * GOLDEN_GAMMA);
            if (Long.parseUnsignedLong(issued.get(i + 1).substring(16, 32), 16) == guess) {
                predicted++;
            }
        }
        assertThat(predicted).as("ids predicted from the one before").isZero();
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }

    private static long unmix64(long z) {
        z = unshift(z, 31);
        z *= inverse(M2);
        z = unshift(z, 27);
        z *= inverse(M1);
        return unshift(z, 30);
    }

    private static long unshift(long z, int shift) {
        long x = z;
        for (int i = 0; i < 64 / shift + 1; i++) {
            x = z ^ (x >>> shift);
        }
        return x;
    }

    private static long inverse(long odd) {
        return BigInteger.valueOf(odd).modInverse(BigInteger.ONE.shiftLeft(64)).longValue();
    }
}
