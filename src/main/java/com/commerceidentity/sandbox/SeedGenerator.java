package com.commerceidentity.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic test data. The same {@code seed} always yields the same people.
 * <p>
 * {@link #people(String, int)} draws {@code sharedShare} of its people from a pool that depends on the seed
 * only, not on the platform, so the same identities (same name and email address, maybe spelt in a different
 * case, with a differently formatted phone) appear on several platforms and can be merged. The rest are
 * unique to the platform name given as {@code salt}.
 * <p>
 * Realism knobs built in: emails in mixed case ({@code Maria.Lopez@Northwind.test}), phones in several formats
 * ({@code +1 415-555-0134}, {@code (415) 555 0199}, {@code 0044 20 7946 0958}, E.164) or missing, some
 * missing names/emails/companies, created/updated timestamps spread over about two years, and every few
 * records sharing exactly the same {@code updatedAt} as the previous one (tie-breaking in incremental sync).
 */
public final class SeedGenerator {

    static final String[] FIRST_NAMES = {"Maria", "James", "Aisha", "Liam", "Sofia", "Noah", "Zoë", "Mateo",
            "Emma", "Yuki", "Olivia", "Lucas", "Chloé", "Ethan", "Priya", "Oliver", "Fatima", "Elias", "Ingrid",
            "Mohammed", "Hannah", "José", "Amelia", "Wei", "Isabella", "Kwame", "Mia", "Sean", "Léa", "Daniel",
            "Nora", "Rafael", "Anika", "Tom", "Grace", "Björn", "Lucía", "Omar", "Ava", "Dmitri"};
    static final String[] LAST_NAMES = {"Lopez", "Smith", "Okafor", "Müller", "Rossi", "Nguyen", "O'Brien",
            "García", "Kowalski", "Tanaka", "Johnson", "Dubois", "Andersson", "Patel", "Brown", "Silva",
            "Kim", "Novak", "Hansen", "Martin", "van der Berg", "Schmidt", "Costa", "Williams", "Ivanova",
            "Fernández", "Clarke", "Haddad", "Jensen", "Moreau", "Lee", "Popescu", "Wilson", "Yilmaz",
            "Nakamura", "Byrne", "Almeida", "Fischer", "Singh", "Taylor"};
    static final String[] COMPANIES = {"Acme Corp", "Globex", "Initech", "Umbrella Retail", "Stark Goods",
            "Wayne Supplies", "Hooli", "Vandelay Industries"};
    // Under the reserved .test TLD (RFC 6761), so no real mailbox is named, and off the default match blocklist
    // (which holds example.com/org/net): the demo's shared people link across stores by email.
    static final String[] DOMAINS = {"Northwind.test", "fabrikam.test", "Mail.Contoso.test", "NORTHWIND.TEST",
            "shop.tailspin.test"};

    private static final Instant EPOCH = Instant.parse("2024-01-15T08:00:00Z");
    private static final long SPREAD_SECONDS = Duration.ofDays(700).toSeconds();

    private final long seed;
    private final double sharedShare;
    private final int sharedPoolSize;

    /**
     * @param seed           master seed
     * @param sharedShare    fraction (0..1) of people drawn from the cross-platform pool
     * @param sharedPoolSize size of that pool
     */
    public SeedGenerator(long seed, double sharedShare, int sharedPoolSize) {
        if (sharedShare < 0 || sharedShare > 1) {
            throw new IllegalArgumentException("sharedShare must be within 0..1");
        }
        this.seed = seed;
        this.sharedShare = sharedShare;
        this.sharedPoolSize = Math.max(1, sharedPoolSize);
    }

    public SeedGenerator(long seed) {
        this(seed, 0.3, 200);
    }

    public long seed() {
        return seed;
    }

    /** {@code count} people for the platform (or store) named {@code salt}, ordered by creation time. */
    public List<SeedPerson> people(String salt, int count) {
        Random random = new Random(seed * 31 + salt.hashCode());
        List<SeedPerson> people = new ArrayList<>(count);
        Instant created = EPOCH;
        long step = Math.max(1, SPREAD_SECONDS / Math.max(1, count));
        Instant previousUpdate = null;
        java.util.Set<Integer> usedPoolEntries = new java.util.HashSet<>();
        java.util.Set<String> usedEmails = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            // a platform holds each identity once: a pool entry already used here makes this person platform-only
            int poolEntry = random.nextInt(sharedPoolSize);
            boolean shared = random.nextDouble() < sharedShare && usedPoolEntries.add(poolEntry);
            Random identity = shared ? new Random(seed * 7919 + poolEntry) : random;
            String first = pick(identity, FIRST_NAMES);
            String last = pick(identity, LAST_NAMES);
            String domain = pick(identity, DOMAINS);
            int emailStyle = identity.nextInt(4);
            int number = identity.nextInt(900) + 100;
            int phoneArea = 200 + identity.nextInt(700);
            int phoneLine = identity.nextInt(10000);

            created = created.plusSeconds(1 + random.nextLong(step));
            Instant updated = created.plusSeconds(random.nextInt(4) == 0 ? 0 : random.nextLong(SPREAD_SECONDS / 2));
            if (previousUpdate != null && i % 5 == 4 && !previousUpdate.isBefore(created)) {
                updated = previousUpdate;
            }
            previousUpdate = updated;

            String email = random.nextInt(25) == 0 ? null : email(first, last, domain, emailStyle, number, random);
            if (email != null && !usedEmails.add(email.toLowerCase(Locale.ROOT))) {
                // platforms reject a second account with the same address (case-insensitively)
                email = email.replace("@", "." + i + "@");
                usedEmails.add(email.toLowerCase(Locale.ROOT));
            }
            String phone = phone(random, phoneArea, phoneLine);
            String company = random.nextInt(3) == 0 ? pick(random, COMPANIES) : null;
            String firstName = random.nextInt(30) == 0 ? null : first;
            boolean enabled = random.nextInt(10) != 0;
            people.add(new SeedPerson(i, firstName, last, email, phone, company, created, updated, shared, enabled));
        }
        return people;
    }

    private static String email(String first, String last, String domain, int style, int number, Random casing) {
        String f = ascii(first);
        String l = ascii(last).replace(" ", "").replace("'", "");
        String local = switch (style) {
            case 0 -> f + "." + l;
            case 1 -> f.charAt(0) + l;
            case 2 -> f + "_" + l + number;
            default -> f + "." + l + "+shop";
        };
        return switch (casing.nextInt(3)) {
            case 0 -> local + "@" + domain;
            case 1 -> local.toLowerCase(Locale.ROOT) + "@" + domain.toLowerCase(Locale.ROOT);
            default -> local.toUpperCase(Locale.ROOT) + "@" + domain;
        };
    }

    private static String phone(Random random, int area, int line) {
        String l = String.format("%04d", line);
        return switch (random.nextInt(6)) {
            case 0 -> "+1 " + area + "-555-" + l;
            case 1 -> "(" + area + ") 555 " + l;
            case 2 -> "0044 20 7946 " + String.format("%04d", line % 1000 + 0);
            case 3 -> "+1" + area + "555" + l;
            case 4 -> area + ".555." + l;
            default -> null;
        };
    }

    private static String ascii(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
