package com.commerceidentity.sandbox.bigcommerce;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Filters and sort of {@code GET /v3/customers}. Invalid values raise a 422 ApiError, like the API's
 * "The filter(s) ... are invalid" answers. Dates accept {@code 2024-05-14T09:34:00}, {@code 2024-05-14},
 * with or without offset (UTC assumed), or unix seconds; min/max bounds are inclusive.
 */
final class CustomerFilter {

    static final Set<String> SORTS = Set.of("date_created:asc", "date_created:desc", "last_name:asc", "last_name:desc",
            "date_modified:asc", "date_modified:desc", "id:asc", "id:desc");

    /**
     * One bound on {@code date_created} or {@code date_modified}. Kept apart from the other filters because, on
     * the field a list is sorted by, it cuts one end of that sort's index instead of being tested row by row.
     */
    record DateBound(String field, Kind kind, Instant at) {
        enum Kind { AT_LEAST, AT_MOST, BEFORE }

        Instant of(BigCommerceCustomer c) {
            return field.equals("date_created") ? c.dateCreated : c.dateModified;
        }

        boolean test(BigCommerceCustomer c) {
            Instant value = of(c);
            return switch (kind) {
                case AT_LEAST -> !value.isBefore(at);
                case AT_MOST -> !value.isAfter(at);
                case BEFORE -> value.isBefore(at);
            };
        }
    }

    /** {@code id:in}, null when absent: answered by looking the ids up, not by walking an index. */
    final Set<Integer> ids;
    private final List<Predicate<BigCommerceCustomer>> others = new ArrayList<>();
    final List<DateBound> bounds = new ArrayList<>();
    final Comparator<BigCommerceCustomer> order;
    final String sort;
    final String sortField;
    final boolean descending;

    CustomerFilter(MultiMap params) {
        ids = params.contains("id:in") ? ints("id:in", params.get("id:in")) : null;
        if (params.contains("email:in")) {
            Set<String> emails = strings(params.get("email:in"));
            others.add(c -> emails.contains(c.email.toLowerCase(Locale.ROOT)));
        }
        if (params.contains("company:in")) {
            Set<String> companies = strings(params.get("company:in"));
            others.add(c -> companies.contains(c.company.toLowerCase(Locale.ROOT)));
        }
        if (params.contains("customer_group_id:in")) {
            Set<Integer> groups = ints("customer_group_id:in", params.get("customer_group_id:in"));
            others.add(c -> groups.contains(c.customerGroupId));
        }
        if (params.contains("name:in")) {
            Set<String> names = strings(params.get("name:in"));
            others.add(c -> names.contains((c.firstName + " " + c.lastName).toLowerCase(Locale.ROOT)));
        }
        if (params.contains("name:like")) {
            Set<String> parts = strings(params.get("name:like"));
            others.add(c -> parts.stream().anyMatch(p -> (c.firstName + " " + c.lastName).toLowerCase(Locale.ROOT).contains(p)));
        }
        if (params.contains("phone:in")) {
            Set<String> phones = Arrays.stream(params.get("phone:in").split(",")).map(String::trim).collect(Collectors.toSet());
            others.add(c -> phones.contains(c.phone));
        }
        range(params, "date_created");
        range(params, "date_modified");
        sort = params.get("sort") == null ? "id:asc" : params.get("sort");
        if (!SORTS.contains(sort)) {
            throw invalid("sort");
        }
        order = comparator(sort);
        sortField = sort.substring(0, sort.indexOf(':'));
        descending = sort.endsWith(":desc");
    }

    boolean matches(BigCommerceCustomer c) {
        return (ids == null || ids.contains(c.id)) && matchesOthers(c) && bounds.stream().allMatch(b -> b.test(c));
    }

    boolean hasOthers() {
        return !others.isEmpty();
    }

    /** The filters other than {@code id:in} and the date bounds. */
    boolean matchesOthers(BigCommerceCustomer c) {
        for (Predicate<BigCommerceCustomer> p : others) {
            if (!p.test(c)) {
                return false;
            }
        }
        return true;
    }

    private void range(MultiMap params, String name) {
        if (params.contains(name)) {
            Instant exact = date(name, params.get(name));
            // Ten characters is a day (2024-05-14); ten-digit unix seconds fall under it too and so cover the
            // 24 hours from their instant, as this simulator has always answered them.
            boolean dateOnly = params.get(name).trim().length() == 10;
            bounds.add(new DateBound(name, DateBound.Kind.AT_LEAST, exact));
            bounds.add(dateOnly ? new DateBound(name, DateBound.Kind.BEFORE, exact.plusSeconds(86400))
                    : new DateBound(name, DateBound.Kind.AT_MOST, exact));
        }
        if (params.contains(name + ":min")) {
            bounds.add(new DateBound(name, DateBound.Kind.AT_LEAST, date(name + ":min", params.get(name + ":min"))));
        }
        if (params.contains(name + ":max")) {
            bounds.add(new DateBound(name, DateBound.Kind.AT_MOST, date(name + ":max", params.get(name + ":max"))));
        }
    }

    static Comparator<BigCommerceCustomer> comparator(String sort) {
        String[] parts = sort.split(":");
        Comparator<BigCommerceCustomer> natural = switch (parts[0]) {
            case "date_created" -> Comparator.comparing(c -> c.dateCreated);
            case "date_modified" -> Comparator.comparing(c -> c.dateModified);
            case "last_name" -> Comparator.comparing(c -> c.lastName.toLowerCase(Locale.ROOT));
            default -> Comparator.comparingInt(c -> c.id);
        };
        natural = natural.thenComparingInt(c -> c.id);
        return parts[1].equals("desc") ? natural.reversed() : natural;
    }

    static Instant date(String name, String raw) {
        String text = raw.trim();
        try {
            if (text.matches("\\d{9,11}")) {
                return Instant.ofEpochSecond(Long.parseLong(text));
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid(name);
        }
    }

    private static Set<Integer> ints(String name, String raw) {
        try {
            return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(Integer::parseInt).collect(Collectors.toSet());
        } catch (NumberFormatException e) {
            throw invalid(name);
        }
    }

    private static Set<String> strings(String raw) {
        return Arrays.stream(raw.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    static ApiError invalid(String name) {
        return new ApiError(422, "The filter(s): " + name + " are invalid", Map.of(name, "The filter is invalid"));
    }
}
