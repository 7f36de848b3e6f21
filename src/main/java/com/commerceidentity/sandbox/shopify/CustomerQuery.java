package com.commerceidentity.sandbox.shopify;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Filters and order of a customers list request. The raw filter strings are kept so a cursor can carry them
 * to later pages unchanged.
 */
final class CustomerQuery {

    static final Set<String> FILTERS = Set.of("ids", "since_id", "created_at_min", "created_at_max",
            "updated_at_min", "updated_at_max");
    private static final Set<String> ORDER_FIELDS = Set.of("id", "updated_at", "created_at");

    final Map<String, String> rawFilters;
    final String order;
    private final String orderField;
    private final boolean ascending;
    private final Set<Long> ids;
    private final Long sinceId;
    private final Instant createdMin;
    private final Instant createdMax;
    private final Instant updatedMin;
    private final Instant updatedMax;

    CustomerQuery(Map<String, String> rawFilters, String requestedOrder, ZoneId zone) {
        this.rawFilters = new LinkedHashMap<>(rawFilters);
        String normalized = requestedOrder == null || requestedOrder.isBlank() ? "id asc"
                : requestedOrder.trim().replaceAll("\\s+", " ").toLowerCase();
        String[] parts = normalized.split(" ");
        if (!ORDER_FIELDS.contains(parts[0]) || parts.length > 2
                || (parts.length == 2 && !parts[1].equals("asc") && !parts[1].equals("desc"))) {
            throw new BadRequest("order", "Invalid value");
        }
        this.orderField = rawFilters.containsKey("since_id") ? "id" : parts[0];
        this.ascending = rawFilters.containsKey("since_id") || parts.length == 1 || parts[1].equals("asc");
        this.order = orderField + (ascending ? " asc" : " desc");
        this.ids = rawFilters.containsKey("ids") ? parseIds(rawFilters.get("ids")) : null;
        this.sinceId = rawFilters.containsKey("since_id") ? parseLong("since_id", rawFilters.get("since_id")) : null;
        this.createdMin = time("created_at_min", zone);
        this.createdMax = time("created_at_max", zone);
        this.updatedMin = time("updated_at_min", zone);
        this.updatedMax = time("updated_at_max", zone);
    }

    boolean matches(ShopifyCustomer c) {
        return (ids == null || ids.contains(c.id))
                && (sinceId == null || c.id > sinceId)
                && (createdMin == null || !c.createdAt.isBefore(createdMin))
                && (createdMax == null || !c.createdAt.isAfter(createdMax))
                && (updatedMin == null || !c.updatedAt.isBefore(updatedMin))
                && (updatedMax == null || !c.updatedAt.isAfter(updatedMax));
    }

    long sortValue(ShopifyCustomer c) {
        return ShopifyStore.sortValue(orderField, c);
    }

    Comparator<ShopifyCustomer> comparator() {
        Comparator<ShopifyCustomer> natural = ShopifyStore.order(orderField);
        return ascending ? natural : natural.reversed();
    }

    String orderField() {
        return orderField;
    }

    boolean ascending() {
        return ascending;
    }

    /**
     * Where a walk of the order field ascending ({@code forward}) or descending may start without missing a
     * match, as (sort value, id): the filter's bound on that field; null for the first customer.
     */
    long[] start(boolean forward) {
        return switch (orderField) {
            case "updated_at" -> bound(forward ? updatedMin : updatedMax, forward);
            case "created_at" -> bound(forward ? createdMin : createdMax, forward);
            default -> forward && sinceId != null ? new long[] {sinceId, sinceId} : null;
        };
    }

    private static long[] bound(Instant at, boolean forward) {
        // whole seconds: the order compares seconds, and the filter itself is checked on every customer walked
        return at == null ? null : new long[] {at.getEpochSecond(), forward ? Long.MIN_VALUE : Long.MAX_VALUE};
    }

    /** True once a walk of the order field in that direction has passed every customer the filter can match. */
    boolean beyond(ShopifyCustomer c, boolean forward) {
        return switch (orderField) {
            case "updated_at" -> forward ? updatedMax != null && c.updatedAt.isAfter(updatedMax)
                    : updatedMin != null && c.updatedAt.isBefore(updatedMin);
            case "created_at" -> forward ? createdMax != null && c.createdAt.isAfter(createdMax)
                    : createdMin != null && c.createdAt.isBefore(createdMin);
            default -> !forward && sinceId != null && c.id <= sinceId;
        };
    }

    private Instant time(String name, ZoneId zone) {
        String raw = rawFilters.get(name);
        return raw == null ? null : parseTime(name, raw, zone);
    }

    static Instant parseTime(String name, String raw, ZoneId zone) {
        String trimmed = raw.trim();
        // an unencoded '+' of an offset arrives as a space
        String text = trimmed.contains("T") ? trimmed.replaceFirst(" (\\d{2}:\\d{2})$", "+$1") : trimmed;
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(name, "Invalid value");
        }
    }

    private static Set<Long> parseIds(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> parseLong("ids", s)).collect(Collectors.toSet());
    }

    private static long parseLong(String name, String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name, "Invalid value");
        }
    }
}
