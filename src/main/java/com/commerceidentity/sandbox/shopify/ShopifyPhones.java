package com.commerceidentity.sandbox.shopify;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/** Shopify stores customer phones in E.164 (it rejects numbers it cannot parse); we mirror that. */
final class ShopifyPhones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private ShopifyPhones() {
    }

    static String toE164(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String prepared = raw.trim().startsWith("00") ? "+" + raw.trim().substring(2) : raw;
        try {
            return UTIL.format(UTIL.parse(prepared, "US"), PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("phone is invalid: " + raw);
        }
    }
}
