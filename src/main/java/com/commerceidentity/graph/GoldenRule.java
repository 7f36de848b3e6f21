package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Platform;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Chooses an identity's golden attributes from its accounts. Default: the newest non-empty value wins
 * (by the account's source version). {@code platform-priority} lets ops trust one platform over another
 * (say, the ERP-fed store over a storefront), newest first within a platform.
 */
public final class GoldenRule {

    /** The attributes a feed consumer sees for a person. */
    public record Golden(String email, String phone, String firstName, String lastName) {
    }

    private final Comparator<Account> preference;

    private GoldenRule(Comparator<Account> preference) {
        this.preference = preference;
    }

    public static GoldenRule newest() {
        return new GoldenRule(NEWEST_FIRST);
    }

    /**
     * @param rule     {@code newest} or {@code platform-priority}
     * @param priority platforms in order of trust, used by {@code platform-priority}
     */
    public static GoldenRule of(String rule, List<String> priority) {
        String r = rule == null ? "newest" : rule.trim().toLowerCase(Locale.ROOT);
        switch (r) {
            case "newest":
                return newest();
            case "platform-priority":
                List<Platform> order = priority.stream().map(Platform::of).toList();
                Comparator<Account> byPlatform = Comparator.comparingInt(a -> {
                    int i = order.indexOf(a.key().platform());
                    return i < 0 ? Integer.MAX_VALUE : i;
                });
                return new GoldenRule(byPlatform.thenComparing(NEWEST_FIRST));
            default:
                throw new IllegalArgumentException("app.golden.rule: unknown rule '" + rule
                        + "'; use 'newest' or 'platform-priority'");
        }
    }

    private static final Comparator<Account> NEWEST_FIRST = Comparator
            .comparing((Account a) -> stamp(a), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(a -> a.key().toString());

    private static Instant stamp(Account a) {
        return a.version() != null ? a.version() : a.updatedAt();
    }

    public Golden choose(Collection<Account> accounts) {
        List<Account> live = accounts.stream().filter(a -> !a.isDeleted()).sorted(preference).toList();
        List<Account> ranked = live.isEmpty() ? accounts.stream().sorted(preference).toList() : live;
        return new Golden(
                // a malformed email stays on its account but never speaks for the person
                first(ranked, a -> AccountNormalizer.wellFormedEmail(a.email()) ? a.email() : null),
                first(ranked, Account::phone) != null ? first(ranked, Account::phone) : first(ranked, Account::phoneRaw),
                first(ranked, Account::firstName),
                first(ranked, Account::lastName));
    }

    private static String first(List<Account> ranked, Function<Account, String> attribute) {
        for (Account a : ranked) {
            String v = attribute.apply(a);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
