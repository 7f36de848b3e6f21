package com.commerceidentity.sandbox.bigcommerce;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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

    private Predicate<BigCommerceCustomer> predicate = c -> true;
    final Comparator<BigCommerceCustomer> order;
    final String sort;

    CustomerFilter(MultiMap params) {
        if (params.contains("id:in")) {
            Set<Integer> ids = ints("id:in", params.get("id:in"));
            and(c -> ids.contains(c.id));
        }
        if (params.contains("email:in")) {
            Set<String> emails = strings(params.get("email:in"));
            and(c -> emails.contains(c.email.toLowerCase(Locale.ROOT)));
        }
        if (params.contains("company:in")) {
            Set<String> companies = strings(params.get("company:in"));
            and(c -> companies.contains(c.company.toLowerCase(Locale.ROOT)));
        }
        if (params.contains("customer_group_id:in")) {
            Set<Integer> groups = ints("customer_group_id:in", params.get("customer_group_id:in"));
            and(c -> groups.contains(c.customerGroupId));
        }
        if (params.contains("name:in")) {
            Set<String> names = strings(params.get("name:in"));
            and(c -> names.contains((c.firstName + " " + c.lastName).toLowerCase(Locale.ROOT)));
        }
        if (params.contains("name:like")) {
            Set<String> parts = strings(params.get("name:like"));
            and(c -> parts.stream().anyMatch(p -> (c.firstName + " " + c.lastName).toLowerCase(Locale.ROOT).contains(p)));
        }
        if (params.contains("phone:in")) {
            Set<String> phones = Arrays.stream(params.get("phone:in").split(",")).map(String::trim).collect(Collectors.toSet());
            and(c -> phones.contains(c.phone));
        }
        range(params, "date_created", c -> c.dateCreated);
        range(params, "date_modified", c -> c.dateModified);
        sort = params.get("sort") == null ? "id:asc" : params.get("sort");
        if (!SORTS.contains(sort)) {
            throw invalid("sort");
        }
        order = comparator(sort);
    }

    boolean matches(BigCommerceCustomer c) {
        return predicate.test(c);
    }

    private void and(Predicate<BigCommerceCustomer> next) {
        predicate = predicate.and(next);
    }

    private void range(MultiMap params, String name, java.util.function.Function<BigCommerceCustomer, Instant> field) {
        if (params.contains(name)) {
            Instant exact = date(name, params.get(name));
            boolean dateOnly = params.get(name).trim().length() == 10;
            and(c -> dateOnly ? !field.apply(c).isBefore(exact) && field.apply(c).isBefore(exact.plusSeconds(86400))
                    : field.apply(c).equals(exact));
        }
        if (params.contains(name + ":min")) {
            Instant min = date(name + ":min", params.get(name + ":min"));
            and(c -> !field.apply(c).isBefore(min));
        }
        if (params.contains(name + ":max")) {
            Instant max = date(name + ":max", params.get(name + ":max"));
            and(c -> !field.apply(c).isAfter(max));
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

    static List<BigCommerceCustomer> apply(CustomerFilter filter, List<BigCommerceCustomer> all) {
        return all.stream().filter(filter::matches).sorted(filter.order).collect(Collectors.toList());
    }

    /** The store's customers matching the filter, in its order, from the store's sorted cache. */
    static List<BigCommerceCustomer> apply(CustomerFilter filter, BigCommerceStore store) {
        return store.customersSorted(filter.sort, filter.order).stream().filter(filter::matches)
                .collect(Collectors.toList());
    }
}
