package com.commerceidentity.store;

import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.webhook.StoreRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Puts a store's credentials on a request, as its platform module says. Fixed secrets go on as they are;
 * session tokens (an admin login, a user JWT) are fetched through the same {@code direct:store-call} (so
 * sign-ins count against the store's budget), cached, renewed shortly before they expire and once more when
 * the store answers 401 anyway.
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
        credentials(store).apply(store, path, m, () -> login(store));
    }

    private static Credentials credentials(StoreConfig store) {
        return PlatformModules.of(store.platform().id()).credentials();
    }

    /** True when a 401 may be cured by signing in again. */
    boolean renewable(StoreConfig store) {
        return usesLogin(store);
    }

    void forget(StoreConfig store) {
        tokens.remove(store.id());
    }

    /** Whether the store signs in for a session token (its platform module decides from its settings). */
    static boolean usesLogin(StoreConfig store) {
        return credentials(store).signsIn(store);
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
        StoreRequest signIn = credentials(store).signIn(store);
        Exchange answer = template.request("direct:store-call", ex -> {
            Message m = ex.getMessage();
            m.setHeader(StoreCalls.STORE_ID, store.id());
            m.setHeader(Exchange.HTTP_METHOD, signIn.method());
            m.setHeader(Exchange.HTTP_PATH, signIn.path());
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setHeader(NO_AUTH, true);
            m.setBody(signIn.body() == null ? null : signIn.body().getBytes(StandardCharsets.UTF_8));
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
                    + "; " + credentials(store).signInRefused(store, status), status, null);
        }
        try {
            String value = credentials(store).sessionToken(json.readTree(text));
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("no token in the answer");
            }
            return new Token(value, clock.instant().plus(lifetime(store, value)));
        } catch (Exception e) {
            throw new StoreCallException("login to store '" + store.id() + "' answered without a usable token", status, e);
        }
    }

    /** Renew at 90% of the lifetime: {@code stores.<id>.token-lifetime-minutes}, else a JWT's own {@code exp}, else 4 h. */
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

}
