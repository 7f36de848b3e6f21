package com.commerceidentity.sandbox.medusa;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/** Medusa's prefixed ULIDs ({@code cus_…}, {@code user_…}) and the random hex of secrets and event ids. */
final class MedusaIds {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private MedusaIds() {
    }

    static String ulid(String prefix, Instant time, Random random) {
        StringBuilder s = new StringBuilder(prefix);
        long ms = time.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            s.append(CROCKFORD.charAt((int) ((ms >>> (5 * i)) & 31)));
        }
        for (int i = 0; i < 16; i++) {
            s.append(CROCKFORD.charAt(random.nextInt(32)));
        }
        return s.toString();
    }

    static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
