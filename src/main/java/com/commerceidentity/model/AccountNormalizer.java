package com.commerceidentity.model;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;

/**
 * Derives the match keys of an account: email trimmed and lower-cased, phone in E.164 through
 * libphonenumber. A phone that cannot be parsed keeps its raw value and gets no E.164 form, so it never
 * merges anything by accident.
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
        return trimmed.isEmpty() ? null : trimmed;
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
