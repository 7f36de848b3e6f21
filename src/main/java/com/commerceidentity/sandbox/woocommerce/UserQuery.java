package com.commerceidentity.sandbox.woocommerce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /customers} (WC_REST_Customers_V1_Controller::get_collection_params, inherited by
 * v3) and the WP_User_Query they become. There is deliberately no date filter and no modified-date order:
 * the controller registers none and WordPress ignores unknown parameters (facts customers_list.modified_after_modified_before).
 *
 * @param role   null for role=all, else the role the user must have among its roles
 * @param offset the effective row offset: the offset parameter when non-zero, else (page - 1) * per_page
 */
record UserQuery(int perPage, int offset, String search, String email, String role, List<Integer> include,
                 Set<Integer> exclude, boolean descending, String orderby) {

    /** Roles of a stock WooCommerce site in registration order (core roles, then WooCommerce's). */
    static final List<String> SITE_ROLES = List.of("administrator", "editor", "author", "contributor", "subscriber",
            "customer", "shop_manager");
    static final List<String> ORDERBY = List.of("id", "include", "name", "registered_date");
    private static final Pattern NUMERIC = Pattern.compile("\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** Validates in the controller's registration order: context, page, per_page, search, exclude, include, offset, order, orderby, email, role. */
    static UserQuery parse(WpParams p) {
        p.oneOf("context", "view", List.of("view", "edit"));
        int page = p.integer("page", 1, 1, null);
        int perPage = p.integer("per_page", 10, 1, 100);
        String search = p.text("search");
        List<Integer> exclude = p.idList("exclude");
        List<Integer> include = p.idList("include");
        int offset = Math.abs(p.integer("offset", 0, null, null));
        String order = p.oneOf("order", "asc", List.of("asc", "desc"));
        String orderby = p.oneOf("orderby", "name", ORDERBY);
        String email = p.email("email");
        List<String> roles = new ArrayList<>(List.of("all"));
        roles.addAll(SITE_ROLES);
        String role = p.oneOf("role", "customer", roles);
        p.check();
        return new UserQuery(perPage, offset != 0 ? offset : (page - 1) * perPage,
                search == null || search.isEmpty() ? null : "*" + search + "*",
                email == null || email.isEmpty() ? null : email,
                "all".equals(role) ? null : role, include, Set.copyOf(exclude), "desc".equals(order), orderby);
    }

    /** The page number WooCommerce derives back from the offset for its Link header: ceil(offset / per_page + 1). */
    int linkPage() {
        return (int) Math.ceil(offset / (double) perPage + 1);
    }

    boolean filtersRows() {
        return search != null || email != null || !include.isEmpty() || !exclude.isEmpty();
    }

    /** include, exclude and WP_User_Query's search (email wins over search, as the controller sets it last). */
    Predicate<WpUser> rowFilter() {
        Predicate<WpUser> filter = u -> true;
        if (!include.isEmpty()) {
            Set<Integer> ids = Set.copyOf(include);
            filter = filter.and(u -> ids.contains(u.id));
        }
        if (!exclude.isEmpty()) {
            filter = filter.and(u -> !exclude.contains(u.id));
        }
        if (email != null) {
            String wanted = email.trim().toLowerCase(Locale.ROOT);
            // search_columns = [user_email] and no wildcard: an exact, collation-insensitive match
            filter = filter.and(u -> u.email != null && u.email.toLowerCase(Locale.ROOT).equals(wanted));
        } else if (search != null) {
            filter = filter.and(search(search));
        }
        return filter;
    }

    /**
     * WP_User_Query's search: leading/trailing '*' are wildcards; the term picks the columns ('@' → user_email,
     * numeric → user_login and ID, http(s):// → user_url, else login, url, email, nicename and display name), and
     * WooCommerce's user_search_columns filter adds display_name. LIKE under a case-insensitive collation.
     */
    static Predicate<WpUser> search(String raw) {
        String term = raw.trim();
        boolean leading = term.startsWith("*");
        boolean trailing = term.endsWith("*");
        String core = term.replaceAll("^\\*+|\\*+$", "").toLowerCase(Locale.ROOT);
        boolean numeric = NUMERIC.matcher(core).matches();
        List<java.util.function.Function<WpUser, String>> columns = new ArrayList<>();
        if (core.contains("@")) {
            columns.add(u -> u.email);
        } else if (numeric) {
            columns.add(u -> u.login);
        } else if (core.matches("^https?://.*")) {
            columns.add(u -> u.url);
        } else {
            columns.add(u -> u.login);
            columns.add(u -> u.url);
            columns.add(u -> u.email);
            columns.add(WpUser::nicename);
        }
        columns.add(u -> u.displayName);
        return u -> {
            if (numeric && String.valueOf(u.id).equals(core.trim())) {
                return true;
            }
            for (java.util.function.Function<WpUser, String> column : columns) {
                String value = column.apply(u);
                if (value != null && like(value.toLowerCase(Locale.ROOT), core, leading, trailing)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean like(String value, String core, boolean leading, boolean trailing) {
        if (leading && trailing) {
            return value.contains(core);
        }
        if (leading) {
            return value.endsWith(core);
        }
        if (trailing) {
            return value.startsWith(core);
        }
        return value.equals(core);
    }
}
