package com.commerceidentity.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Puts each platform's credentials on a store request. Shopify and BigCommerce use a fixed token from the
 * configuration or environment. Magento admin tokens and Medusa JWTs are fetched through the same
 * {@code direct:store-call} (so logins count against the store's budget), cached, renewed shortly before they
 * expire and once more when the store answers 401 anyway.
 */
public class StoreAuth {
    /** Header on a {@code direct:store-call} request that must go out without credentials (the login itself). */
    public static final String NO_AUTH = "storeCallWithoutAuth";

    private record Token(String value, Instant renewAt) {
    }

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final Clock clock;
    private volatile ProducerTemplate template;

    public StoreAuth(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    void bind(ProducerTemplate producer) {
        this.template = producer;
    }

    void apply(StoreConfig store, String path, Message m) {
        m.setHeader("Accept", "application/json");
        switch (store.platform()) {
            case SHOPIFY -> {
                if (path.contains("/scim/")) {
                    m.setHeader("Authorization", "Bearer " + required(store, store.settings().getOrDefault("scim-token",
                            store.token()), "scim-token"));
                } else {
                    m.setHeader("X-Shopify-Access-Token", required(store, store.token(), "token"));
                }
            }
            case BIGCOMMERCE -> m.setHeader("X-Auth-Token", required(store, store.token(), "token"));
            case MAGENTO -> m.setHeader("Authorization", "Bearer " + (usesLogin(store) ? login(store)
                    : required(store, store.token(), "token")));
            case MEDUSA -> m.setHeader("Authorization", usesLogin(store) ? "Bearer " + login(store)
                    : "Basic " + Base64.getEncoder().encodeToString((required(store, store.apiKey(), "api-key") + ":")
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** True when a 401 may be cured by logging in again. */
    boolean renewable(StoreConfig store) {
        return usesLogin(store);
    }

    void forget(StoreConfig store) {
        tokens.remove(store.id());
    }

    /**
     * Magento: an integration access token ({@code token}) never expires, so it wins; otherwise the admin login.
     * Medusa: a secret API key ({@code api-key}) wins over the user login. {@code stores.<id>.auth = password}
     * forces the login.
     */
    static boolean usesLogin(StoreConfig store) {
        String mode = store.settings().getOrDefault("auth", "");
        if ("password".equals(mode)) {
            return true;
        }
        return switch (store.platform()) {
            case MAGENTO -> store.token() == null;
            case MEDUSA -> store.apiKey() == null;
            default -> false;
        };
    }

    private String login(StoreConfig store) {
        Token t = tokens.get(store.id());
        if (t != null && clock.instant().isBefore(t.renewAt())) {
            return t.value();
        }
        synchronized (locks.computeIfAbsent(store.id(), k -> new Object())) {
            t = tokens.get(store.id());
            if (t == null || !clock.instant().isBefore(t.renewAt())) {
                t = fetch(store);
                tokens.put(store.id(), t);
            }
            return t.value();
        }
    }

    private Token fetch(StoreConfig store) {
        ObjectNode body = json.createObjectNode();
        String path;
        if (store.platform() == com.commerceidentity.model.Platform.MAGENTO) {
            path = "/V1/integration/admin/token";
            body.put("username", required(store, store.username(), "username"));
        } else {
            path = "/auth/user/emailpass";
            body.put("email", required(store, store.username(), "username"));
        }
        body.put("password", required(store, store.password(), "password"));
        Exchange answer = template.request("direct:store-call", ex -> {
            Message m = ex.getMessage();
            m.setHeader(StoreCalls.STORE_ID, store.id());
            m.setHeader(Exchange.HTTP_METHOD, "POST");
            m.setHeader(Exchange.HTTP_PATH, path);
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setHeader(NO_AUTH, true);
            m.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        });
        if (answer.getException() != null) {
            throw new StoreCallException("login to store '" + store.id() + "' failed: "
                    + answer.getException().getMessage(), 0, answer.getException());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = answer.getMessage().getBody(String.class);
        if (status != 200) {
            // Never echo the body: some platforms repeat the submitted credentials in their error.
            throw new StoreCallException("login to store '" + store.id() + "' was refused with HTTP " + status
                    + "; check stores." + store.id() + ".username and .password", status, null);
        }
        try {
            JsonNode node = json.readTree(text);
            String value = node.isTextual() ? node.asText() : node.path("token").asText(null);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("no token in the answer");
            }
            return new Token(value, clock.instant().plus(lifetime(store, value)));
        } catch (Exception e) {
            throw new StoreCallException("login to store '" + store.id() + "' answered without a usable token", status, e);
        }
    }

    /** Renew at 90% of the lifetime: the JWT's own {@code exp} for Medusa, the configured one for Magento (default 4 h). */
    private Duration lifetime(StoreConfig store, String token) {
        String configured = store.settings().get("token-lifetime-minutes");
        Duration life = configured != null ? Duration.ofMinutes(Long.parseLong(configured.trim()))
                : jwtLifetime(token).orElse(Duration.ofHours(4));
        return Duration.ofMillis(life.toMillis() * 9 / 10);
    }

    private java.util.Optional<Duration> jwtLifetime(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims.has("exp")) {
                return java.util.Optional.of(Duration.between(clock.instant(), Instant.ofEpochSecond(claims.get("exp").asLong())));
            }
        } catch (Exception ignored) {
            // not a JWT we can read: fall back to the default lifetime
        }
        return java.util.Optional.empty();
    }

    private static String required(StoreConfig store, String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("stores." + store.id() + "." + key + " is not set (put secrets in the"
                    + " environment: STORES_" + store.id().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_"
                    + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + ")");
        }
        return value;
    }
}
