package com.commerceidentity.sandbox.woocommerce;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The WordPress site a rendering happens for: its home URL (rest_url(), home_url('/'), the OAuth base string)
 * and its time zone. Dates are wc_rest_prepare_date_response() output: wall time without offset or 'Z', the
 * {@code _gmt} variant in UTC, the other in the site's zone.
 */
record Site(String home, ZoneId zone) {

    static final String API = "/wp-json/wc/v3";
    private static final DateTimeFormatter WP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    String rest(String route) {
        return home + "/wp-json" + route;
    }

    String api(String path) {
        return home + API + path;
    }

    String local(Instant at) {
        return WP_DATE.format(LocalDateTime.ofInstant(at, zone));
    }

    String gmt(Instant at) {
        return WP_DATE.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }
}
