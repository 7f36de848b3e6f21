package com.commerceidentity.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What an account may do on its platform, as far as the platform shows it: the facts an access review reads
 * ("who is admin where"). Platform-neutral: each mapper fills what its API exposes and leaves the rest null.
 *
 * <p>A null fact means "this observation did not show it" (the platform never exposes it, the scope is missing,
 * or this payload leaves it out, like Shopify's customer webhooks, which carry no tags): the graph then keeps the
 * value it holds (see {@link #over}). An empty list means "shown, and there are none".
 *
 * @param accountType the platform's kind of account (a Shopify staff member's REGULAR / COLLABORATOR / INVITED ...)
 * @param owner       true for the store's owner, false for anyone else, null when not shown
 * @param roles       roles, groups and permissions, sorted and without duplicates
 * @param state       the platform's own account state (a Shopify customer's enabled / disabled / invited / declined)
 * @param tags        the platform's tags on the account, sorted and without duplicates
 * @param group       the group the account belongs to (a BigCommerce customer group id)
 */
public record Access(String accountType, Boolean owner, List<String> roles, String state, List<String> tags,
                     String group) {

    /** Nothing shown: the access of an account whose platform exposes none of these facts. */
    public static final Access NONE = new Access(null, null, null, null, null, null);

    public Access {
        accountType = blankToNull(accountType);
        state = blankToNull(state);
        group = blankToNull(group);
        roles = sorted(roles, "roles");
        tags = sorted(tags, "tags");
    }

    public boolean isEmpty() {
        return accountType == null && owner == null && roles == null && state == null && tags == null && group == null;
    }

    /** These facts, each one this observation did not show taken from {@code held} (what the graph holds). */
    public Access over(Access held) {
        if (held == null || held.isEmpty()) {
            return this;
        }
        return new Access(accountType != null ? accountType : held.accountType, owner != null ? owner : held.owner,
                roles != null ? roles : held.roles, state != null ? state : held.state,
                tags != null ? tags : held.tags, group != null ? group : held.group);
    }

    public Access withAccountType(String v) { return new Access(v, owner, roles, state, tags, group); }
    public Access withOwner(Boolean v) { return new Access(accountType, v, roles, state, tags, group); }
    public Access withRoles(Collection<String> v) { return new Access(accountType, owner, copy(v), state, tags, group); }
    public Access withState(String v) { return new Access(accountType, owner, roles, v, tags, group); }
    public Access withTags(Collection<String> v) { return new Access(accountType, owner, roles, state, copy(v), group); }
    public Access withGroup(String v) { return new Access(accountType, owner, roles, state, tags, v); }

    private static List<String> copy(Collection<String> v) {
        return v == null ? null : new ArrayList<>(v);
    }

    private static List<String> sorted(List<String> values, String field) {
        if (values == null) {
            return null;
        }
        TreeSet<String> set = new TreeSet<>();
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("access " + field + " must not hold null");
            }
            if (!v.isBlank()) {
                set.add(v.strip());
            }
        }
        return List.copyOf(set);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }
}
