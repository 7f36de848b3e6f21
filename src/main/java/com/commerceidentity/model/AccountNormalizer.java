package com.commerceidentity.model;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;

/**
 * Derives the match keys of an account: email trimmed and lower-cased, phone in E.164 through
 * libphonenumber. A phone that cannot be parsed keeps its raw value and gets no E.164 form, so it never
 * merges anything by accident; an email that is not well formed ({@link #wellFormedEmail}) likewise keeps its
 * raw value and gets no normalized form, so it is never a match key nor an identity's golden email.
 */
public final class AccountNormalizer {
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    public AccountNormalizer(String defaultRegion) {
        this.defaultRegion = defaultRegion == null || defaultRegion.isBlank()
                ? "US" : defaultRegion.trim().toUpperCase(Locale.ROOT);
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    public String email(String raw) {
        if (raw == null) {
            return null;
        }
        String trimmed = raw.trim().toLowerCase(Locale.ROOT);
        return wellFormedEmail(trimmed) ? trimmed : null;
    }

    /**
     * A deliberately small rule (no mail-address validator is on the class path): no whitespace or control
     * characters, exactly one {@code @}, a non-empty local part, and a domain of non-empty dot-separated labels
     * with at least one dot. It turns away placeholders such as {@code "qui mollit aute ut"} or
     * {@code "n/a"} without judging the many unusual addresses real stores hold.
     */
    public static boolean wellFormedEmail(String email) {
        if (email == null || email.isEmpty()) {
            return false;
        }
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return false;
        }
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        String domain = email.substring(at + 1);
        if (domain.indexOf('.') < 0) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    public String phone(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Phonenumber.PhoneNumber parsed = phones.parse(raw.trim(), defaultRegion);
            if (!phones.isPossibleNumber(parsed)) {
                return null;
            }
            return phones.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
