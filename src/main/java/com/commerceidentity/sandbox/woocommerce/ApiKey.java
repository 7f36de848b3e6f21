package com.commerceidentity.sandbox.woocommerce;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row of woocommerce_api_keys: the key acts as its owner user with that user's capabilities, limited further
 * by {@code permissions} (read, write, read_write). {@code nonces} are the OAuth nonces seen in the last 15
 * minutes, keyed by their timestamp exactly as WooCommerce stores them (a second nonce with the same timestamp
 * replaces the first).
 */
final class ApiKey {

    volatile String consumerKey;
    volatile String consumerSecret;
    volatile String permissions;
    volatile int userId;
    /** Deleting the owner revokes the key (WooCommerce hooks delete_user). */
    volatile boolean revoked;
    final Map<Long, String> nonces = new LinkedHashMap<>();

    ApiKey(String consumerKey, String consumerSecret, String permissions, int userId) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
        this.permissions = permissions;
        this.userId = userId;
    }

    boolean canRead() {
        return "read".equals(permissions) || "read_write".equals(permissions);
    }

    boolean canWrite() {
        return "write".equals(permissions) || "read_write".equals(permissions);
    }
}
