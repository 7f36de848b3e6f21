package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Shopify's customer search syntax the sync needs: {@code field:value} terms joined by spaces
 * (all must match), values optionally quoted, {@code *} wildcards, case-insensitive. Fields: email,
 * first_name, last_name, phone, state, id; a bare word matches name or email. {@code id} also takes a range,
 * {@code id:>=1234}, {@code id:<1234} (and {@code >}, {@code <=}), as the GraphQL {@code customers} query
 * documents it.
 */
final class CustomerSearch {

    private static final Pattern TERM = Pattern.compile("(?:(\\w+):)?(\"[^\"]*\"|\\S+)");

    private static final Pattern RANGE = Pattern.compile("(>=|<=|>|<)(\\d+)");

    /** {@code bound} and {@code comparison} are set for a range term ({@code value} is then null). */
    private record Term(String field, Pattern value, String comparison, long bound) {
        boolean inRange(long id) {
            return switch (comparison) {
                case ">=" -> id >= bound;
                case "<=" -> id <= bound;
                case ">" -> id > bound;
                default -> id < bound;
            };
        }
    }

    private final List<Term> terms = new ArrayList<>();

    CustomerSearch(String query) {
        if (query == null) {
            return;
        }
        Matcher m = TERM.matcher(query.trim());
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.equalsIgnoreCase("AND")) {
                continue;
            }
            String field = m.group(1) == null ? null : m.group(1).toLowerCase(Locale.ROOT);
            Matcher range = RANGE.matcher(value);
            if ("id".equals(field) && range.matches()) {
                terms.add(new Term(field, null, range.group(1), Long.parseLong(range.group(2))));
            } else {
                terms.add(new Term(field, Glob.toPattern(value, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), null, 0));
            }
        }
    }

    /**
     * The ids this search spans, {@code [from, below)}, when it is nothing but id comparisons (a bulk piece's
     * range, a probe's count); null otherwise.
     */
    long[] idRange() {
        long from = Long.MIN_VALUE;
        long below = Long.MAX_VALUE;
        for (Term term : terms) {
            if (!"id".equals(term.field()) || term.comparison() == null) {
                return null;
            }
            switch (term.comparison()) {
                case ">=" -> from = Math.max(from, term.bound());
                case ">" -> from = Math.max(from, term.bound() + 1);
                case "<=" -> below = Math.min(below, term.bound() + 1);
                default -> below = Math.min(below, term.bound());
            }
        }
        return new long[] {from, below};
    }

    boolean matches(ShopifyCustomer c) {
        for (Term term : terms) {
            boolean hit = term.field() == null
                    ? any(term.value(), c.firstName, c.lastName, c.email)
                    : switch (term.field()) {
                        case "email" -> any(term.value(), c.email);
                        case "first_name" -> any(term.value(), c.firstName);
                        case "last_name" -> any(term.value(), c.lastName);
                        case "phone" -> any(term.value(), c.phone);
                        case "state" -> any(term.value(), c.state);
                        case "id" -> term.comparison() != null ? term.inRange(c.id) : any(term.value(), String.valueOf(c.id));
                        default -> false;
                    };
            if (!hit) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(Pattern pattern, String... values) {
        for (String v : values) {
            if (v != null && pattern.matcher(v).matches()) {
                return true;
            }
        }
        return false;
    }
}
