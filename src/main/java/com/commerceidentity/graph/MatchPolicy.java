package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which values may tie two accounts to one person. Email always; phone only when switched on, because
 * households and shared shop phones make it a weaker signal. Blocked values (placeholders, no-reply
 * addresses) never merge anything: one "test@test.com" would otherwise glue thousands of people together.
 */
public final class MatchPolicy {

    /** A match key: the rule that produced it, the normalized value, and both as one token (built once). */
    public record MatchKey(String rule, String value, String token) {
        public MatchKey(String rule, String value) {
            this(rule, value, rule + ":" + value);
        }
    }

    public static final String RULE_EMAIL = "email";
    public static final String RULE_PHONE = "phone";

    private final boolean phoneMatching;
    private final List<Pattern> blockedEmails;
    private final List<Pattern> blockedPhones;

    public MatchPolicy(boolean phoneMatching, List<String> blockedEmailPatterns, List<String> blockedPhonePatterns) {
        this.phoneMatching = phoneMatching;
        this.blockedEmails = compile(blockedEmailPatterns, "app.match.blocked-emails");
        this.blockedPhones = compile(blockedPhonePatterns, "app.match.blocked-phones");
    }

    /** Splits a comma-separated configuration value into trimmed, non-empty entries. */
    public static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Pattern> compile(List<String> patterns, String key) {
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) {
            try {
                out.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(key + ": invalid pattern '" + p + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    public boolean phoneMatching() {
        return phoneMatching;
    }

    /** The keys this account may match on; none for a deleted account (it no longer vouches for anyone). */
    public List<MatchKey> keys(Account account) {
        if (account.isDeleted()) {
            return List.of();
        }
        List<MatchKey> keys = new ArrayList<>(2);
        if (emailUsable(account.email())) {
            keys.add(new MatchKey(RULE_EMAIL, account.email()));
        }
        if (phoneMatching && phoneUsable(account.phone())) {
            keys.add(new MatchKey(RULE_PHONE, account.phone()));
        }
        return keys;
    }

    public boolean emailUsable(String normalizedEmail) {
        // well formed is checked again here: accounts stored before the normalizer checked it may carry one
        return AccountNormalizer.wellFormedEmail(normalizedEmail) && !matches(blockedEmails, normalizedEmail);
    }

    /**
     * Why an email never links accounts, in words for whoever looked it up; empty when it may. Without this a
     * look-up of a blocked address shows several separate identities and no hint why.
     */
    public java.util.Optional<String> emailNotLinkedBecause(String normalizedEmail) {
        if (normalizedEmail == null) {
            return java.util.Optional.empty();
        }
        String v = normalizedEmail.toLowerCase(Locale.ROOT);
        for (Pattern p : blockedEmails) {
            if (p.matcher(v).matches()) {
                int at = v.lastIndexOf('@');
                String what = at >= 0 && !p.matcher("someone.else" + v.substring(at)).matches() ? v
                        : v.substring(at + 1);
                return java.util.Optional.of(what + " is on app.match.blocked-emails (pattern '" + p.pattern()
                        + "'); accounts with it are not linked by email");
            }
        }
        return java.util.Optional.empty();
    }

    public boolean phoneUsable(String e164) {
        return e164 != null && !matches(blockedPhones, e164);
    }

    private static boolean matches(List<Pattern> patterns, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (Pattern p : patterns) {
            if (p.matcher(v).matches()) {
                return true;
            }
        }
        return false;
    }
}
