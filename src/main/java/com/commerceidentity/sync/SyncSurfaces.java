package com.commerceidentity.sync;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.bigcommerce.BigCommerceCustomerPages;
import com.commerceidentity.platform.magento.MagentoPages;
import com.commerceidentity.platform.medusa.MedusaPages;
import com.commerceidentity.platform.shopify.ShopifyCustomerPages;
import com.commerceidentity.platform.shopify.ShopifyScimPages;
import com.commerceidentity.platform.shopify.ShopifyStaffPages;
import com.commerceidentity.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which surfaces a store has and how each is configured: {@code stores.<id>.sync.<surface>.enabled},
 * {@code .cron} (else {@code stores.<id>.sync.cron}), {@code .page-size}; {@code stores.<id>.sync.overlap-seconds}.
 */
public class SyncSurfaces {
    public static final String DEFAULT_CRON = "0 */5 * * * ?";

    /** Every surface a platform offers, in the order they are scheduled. */
    public static List<String> offered(StoreConfig store) {
        return switch (store.platform()) {
            case SHOPIFY -> List.of("customers", "staff", "scim-users");
            case BIGCOMMERCE -> List.of("customers");
            case MAGENTO -> List.of("customers", "admin-users");
            case MEDUSA -> List.of("customers", "users");
        };
    }

    /** SCIM needs an organisation-level token that most shops do not have: off unless switched on. */
    public static boolean enabled(StoreConfig store, String surface) {
        String v = store.settings().get("sync." + surface + ".enabled");
        if (v != null) {
            return Boolean.parseBoolean(v.trim());
        }
        return !"scim-users".equals(surface) && Boolean.parseBoolean(store.settings().getOrDefault("sync.enabled", "true"));
    }

    public static String cron(StoreConfig store, String surface) {
        return store.settings().getOrDefault("sync." + surface + ".cron",
                store.settings().getOrDefault("sync.cron", DEFAULT_CRON));
    }

    /** Deletions are found by listing everything: daily by default, at a quiet hour. */
    public static String reconcileCron(StoreConfig store, String surface) {
        return store.settings().getOrDefault("sync." + surface + ".reconcile-cron",
                store.settings().getOrDefault("sync.reconcile-cron", "0 30 3 * * ?"));
    }

    public List<String> scheduled(StoreConfig store) {
        List<String> out = new ArrayList<>();
        for (String s : offered(store)) {
            if (enabled(store, s)) {
                out.add(s);
            }
        }
        return out;
    }

    public Duration overlap(StoreConfig store) {
        return Duration.ofSeconds(Long.parseLong(store.settings().getOrDefault("sync.overlap-seconds", "60").trim()));
    }

    public SurfaceWalker walker(StoreConfig store, String surface) {
        String apiVersion = store.settings().getOrDefault("api-version", "2025-07");
        SurfaceWalker walker = switch (store.platform().name() + "/" + surface) {
            case "SHOPIFY/customers" -> new ShopifyCustomerPages(apiVersion, pageSize(store, surface, 250));
            case "SHOPIFY/staff" -> new ShopifyStaffPages(apiVersion, pageSize(store, surface, 100));
            case "SHOPIFY/scim-users" -> new ShopifyScimPages(pageSize(store, surface, 100));
            case "BIGCOMMERCE/customers" -> new BigCommerceCustomerPages(pageSize(store, surface, 250));
            case "MAGENTO/customers" -> new MagentoPages(Kind.CUSTOMER, pageSize(store, surface, 300));
            case "MAGENTO/admin-users" -> new MagentoPages(Kind.STAFF, pageSize(store, surface, 300));
            case "MEDUSA/customers" -> new MedusaPages(Kind.CUSTOMER, pageSize(store, surface, 500));
            case "MEDUSA/users" -> new MedusaPages(Kind.STAFF, pageSize(store, surface, 500));
            default -> null;
        };
        if (walker == null) {
            throw new IllegalArgumentException("store '" + store.id() + "' (" + store.platform().id()
                    + ") has no surface '" + surface + "'; it offers " + offered(store));
        }
        return walker;
    }

    private static int pageSize(StoreConfig store, String surface, int largest) {
        String v = store.settings().get("sync." + surface + ".page-size");
        return v == null ? largest : Integer.parseInt(v.trim());
    }
}
