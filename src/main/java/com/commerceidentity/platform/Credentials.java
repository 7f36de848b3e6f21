package com.commerceidentity.platform;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.Message;

/**
 * How one platform's requests carry a store's credentials. Platforms that sign in for a session token
 * (an admin login, a user JWT) say how; the core fetches the token through {@code direct:store-call} (inside the
 * store's budget), caches it, and renews it before it expires and after a 401.
 */
public interface Credentials {

    /**
     * Puts the credentials on a request to {@code path}.
     *
     * @param session the store's current session token; only asked when {@link #signsIn} is true
     */
    void apply(StoreConfig store, String path, Message request, Supplier<String> session);

    /** True when this store signs in for a session token rather than sending a fixed secret. */
    default boolean signsIn(StoreConfig store) {
        return false;
    }

    /** The sign-in request, when {@link #signsIn}. */
    default StoreRequest signIn(StoreConfig store) {
        throw new UnsupportedOperationException(store.platform().id() + " stores do not sign in");
    }

    /** What to tell ops when the store refused {@link #signIn} with {@code status} (its body is never echoed). */
    default String signInRefused(StoreConfig store, int status) {
        return "check stores." + store.id() + ".username and .password";
    }

    /** The session token in a 200 answer to {@link #signIn}, or null. */
    default String sessionToken(JsonNode answer) {
        return answer.isTextual() ? answer.asText() : answer.path("token").asText(null);
    }

    /** A secret the store must have; the error names the key and the environment variable to set. */
    static String required(StoreConfig store, String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("stores." + store.id() + "." + key + " is not set (put secrets in the"
                    + " environment: STORES_" + store.id().toUpperCase(Locale.ROOT).replace('-', '_') + "_"
                    + key.toUpperCase(Locale.ROOT).replace('-', '_') + ")");
        }
        return value;
    }
}
