package com.commerceidentity.graph;

import java.security.SecureRandom;

/**
 * New identity ids: {@code idn_} and 32 hex digits, like before, but the first 12 digits are the creation
 * time in milliseconds (as in UUIDv7) and the remaining 20 are random. Ids made close together therefore sort
 * close together, so each batch's new identities land on a few B-tree pages of the identities key and the
 * accounts-by-identity index instead of on a thousand random ones, which the store would all re-write.
 */
final class IdentityIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /**
     * SecureRandom, not a seeded fast generator: SplittableRandom's output inverts to its state, so one id
     * handed out by the API predicted every id after it. At one call per new identity the cost is negligible.
     */
    private final SecureRandom random = new SecureRandom();

    String next(long epochMillis) {
        char[] out = new char[36];
        out[0] = 'i';
        out[1] = 'd';
        out[2] = 'n';
        out[3] = '_';
        hex(out, 4, epochMillis, 12);
        hex(out, 16, random.nextLong(), 16);
        hex(out, 32, random.nextInt(), 4);
        return new String(out);
    }

    private static void hex(char[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
