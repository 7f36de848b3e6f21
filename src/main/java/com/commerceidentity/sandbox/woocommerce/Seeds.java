package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.SeedGenerator;
import com.commerceidentity.sandbox.SeedPerson;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the shared seed people into the users of a WooCommerce site: the installing administrator is user 1,
 * staff (administrator / shop_manager) and shoppers (customer, a few blog subscribers) follow in registration
 * order, as WordPress hands out ids.
 */
final class Seeds {

    /** city, state, postcode, country, street: a few real-looking address formats. */
    private static final String[][] ADDRESSES = {
            {"San Francisco", "CA", "94103", "US", "969 Market"},
            {"London", "", "EC1A 1BB", "GB", "10 Aldersgate St"},
            {"Berlin", "", "10115", "DE", "Invalidenstraße 117"},
            {"Rio de Janeiro", "RJ", "20010-000", "BR", "Av. Brasil, 432"},
            {"Lyon", "", "69002", "FR", "12 Rue de la République"},
            {"Toronto", "ON", "M5V 2T6", "CA", "290 Bremner Blvd"},
            {"Sydney", "NSW", "2000", "AU", "1 Macquarie St"},
            {"Osaka", "OSAKA", "530-0001", "JP", "1-1 Umeda, Kita-ku"}};

    private Seeds() {
    }

    static List<WpUser> users(SeedGenerator seeds, int customers, int staff) {
        record Born(SeedPerson person, boolean staff) {
        }
        List<Born> all = new ArrayList<>();
        List<SeedPerson> staffPeople = seeds.people("woocommerce-staff", Math.max(1, staff));
        staffPeople.forEach(p -> all.add(new Born(p, true)));
        seeds.people("woocommerce", customers).forEach(p -> all.add(new Born(p, false)));
        Instant installed = all.stream().map(b -> b.person().createdAt()).min(Comparator.naturalOrder()).orElseThrow()
                .minus(1, ChronoUnit.DAYS);
        all.sort(Comparator.comparing((Born b) -> !(b.staff() && b.person().index() == 0))
                .thenComparing(b -> b.person().createdAt()));
        Set<String> logins = new HashSet<>();
        Set<String> emails = new HashSet<>();
        List<WpUser> users = new ArrayList<>();
        int id = 1;
        for (Born b : all) {
            SeedPerson p = b.person();
            Instant registered = id == 1 ? installed : p.createdAt().truncatedTo(ChronoUnit.SECONDS);
            WpUser u = b.staff() ? staff(id, registered, p) : customer(id, registered, p);
            if (!emails.add(u.email.toLowerCase(Locale.ROOT))) {
                u.email = u.email.replace("@", "." + id + "@");
                u.billing.computeIfPresent("email", (k, v) -> v.isEmpty() ? v : u.email);
            }
            String login = username(u.email, u.firstName, u.lastName);
            for (int n = id; !logins.add(login); n = n * 31 + 7) {
                login = username(u.email, u.firstName, u.lastName) + "-" + String.format("%04d", Math.floorMod(n, 10000));
            }
            u.login = login;
            u.displayName = WpUser.defaultDisplayName(u.firstName, u.lastName, login);
            users.add(u);
            id++;
        }
        return users;
    }

    private static WpUser customer(int id, Instant registered, SeedPerson p) {
        WpUser u = new WpUser(id, registered);
        int i = p.index();
        // a blog reader who registered for comments: a WordPress user, not a WooCommerce customer
        u.roles.add(i % 17 == 8 ? "subscriber" : "customer");
        u.email = p.email() != null ? p.email() : "customer" + id + "@example.net";
        u.firstName = p.firstName() == null ? "" : p.firstName();
        u.lastName = p.lastName() == null ? "" : p.lastName();
        // accounts opened on My Account without ordering have no addresses
        boolean ordered = i % 6 != 5 && !u.hasRole("subscriber");
        if (ordered) {
            String[] a = ADDRESSES[Math.floorMod(i * 7 + 3, ADDRESSES.length)];
            fill(u.billing, u, a, p.company());
            u.billing.put("email", u.email);
            u.billing.put("phone", p.phone() == null ? "" : p.phone());
            if (i % 4 != 1) {
                fill(u.shipping, u, a, p.company());
            }
            u.payingCustomer = i % 3 != 0;
        }
        // users WooCommerce never saved (imported, or untouched since an old release) have no last_update meta
        u.lastUpdate = i % 12 == 7 ? null : p.updatedAt().truncatedTo(ChronoUnit.SECONDS);
        if (i % 10 == 3) {
            u.meta.addObject().put("id", id * 100 + 1).put("key", "mailchimp_woocommerce_is_subscribed").put("value", "1");
        }
        return u;
    }

    private static WpUser staff(int id, Instant registered, SeedPerson p) {
        WpUser u = new WpUser(id, registered);
        int i = p.index();
        u.roles.add(i == 0 || i % 4 == 1 ? "administrator" : "shop_manager");
        if (i == 2) {
            // a shop manager who also shops: listed with the customers, reported as shop_manager (roles[0])
            u.roles.add("customer");
        }
        u.email = p.email() != null ? p.email() : "staff" + i + "@example.com";
        u.firstName = p.firstName() == null ? "" : p.firstName();
        u.lastName = p.lastName() == null ? "" : p.lastName();
        u.lastUpdate = i % 3 == 0 ? null : p.updatedAt().truncatedTo(ChronoUnit.SECONDS);
        return u;
    }

    private static void fill(java.util.Map<String, String> address, WpUser u, String[] a, String company) {
        address.put("first_name", u.firstName);
        address.put("last_name", u.lastName);
        address.put("company", company == null ? "" : company);
        address.put("address_1", a[4]);
        address.put("city", a[0]);
        address.put("state", a[1]);
        address.put("postcode", a[2]);
        address.put("country", a[3]);
    }

    /**
     * wc_create_new_customer_username(): "first.last" (sanitize_user strict, lower case) when the checkout gave
     * names, else the e-mail's local part; the caller adds "-NNNN" while the login is taken.
     */
    static String username(String email, String first, String last) {
        List<String> parts = new ArrayList<>();
        for (String name : new String[]{first, last}) {
            String clean = sanitizeUser(name);
            if (!clean.isEmpty()) {
                parts.add(clean);
            }
        }
        if (parts.isEmpty() && email != null) {
            parts.add(sanitizeUser(email.substring(0, Math.max(0, email.indexOf('@')))));
        }
        return String.join(".", parts).toLowerCase(Locale.ROOT);
    }

    private static String sanitizeUser(String text) {
        if (text == null) {
            return "";
        }
        return WpUser.ascii(text).replaceAll("[^A-Za-z0-9 _.\\-@]", "").trim().replaceAll("\\s+", " ");
    }
}
