package com.commerceidentity.platform.magento;

import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Magento 2 / Adobe Commerce: customers and admin users by search criteria; a polite cap; full payloads. */
public class MagentoModule implements PlatformModule {

    @Override
    public String id() {
        return "magento";
    }

    @Override
    public List<SyncSurface> surfaces() {
        return List.of(
                new SyncSurface("customers", Kind.CUSTOMER, true, 300, (store, size) -> new MagentoPages(Kind.CUSTOMER, size)),
                new SyncSurface("admin-users", Kind.STAFF, true, 300, (store, size) -> new MagentoPages(Kind.STAFF, size)));
    }

    @Override
    public PlatformMapper mapper(AccountNormalizer normalizer) {
        return new MagentoMapper(normalizer);
    }

    /** {@code stores.<id>.auth}: how a store's requests are authorised. */
    enum Auth {
        /** OAuth 1.0a, HMAC-SHA256, with the integration's four credentials: what a stock 2.4.4+ store accepts. */
        OAUTH1("oauth1"),
        /** The integration's access token as a Bearer token: only with oauth/consumer/enable_integration_as_bearer = 1. */
        BEARER("bearer"),
        /** An admin login for a 4-hour token: refused while Magento_TwoFactorAuth is enabled (the default). */
        ADMIN_TOKEN("admin-token");

        final String key;

        Auth(String key) {
            this.key = key;
        }

        /**
         * The configured way, else OAuth 1.0a when a consumer key is set, else the older ways a store's keys
         * point to ({@code token}: bearer, {@code username}: admin token), else OAuth 1.0a (whose error then
         * names the missing key).
         */
        static Auth of(StoreConfig store) {
            String configured = store.settings().get("auth");
            if (configured != null && !configured.isBlank()) {
                String v = configured.trim().toLowerCase(java.util.Locale.ROOT);
                if (v.equals("password")) {
                    return ADMIN_TOKEN; // the name this setting had before oauth1 existed
                }
                for (Auth a : values()) {
                    if (a.key.equals(v)) {
                        return a;
                    }
                }
                throw new IllegalStateException("stores." + store.id() + ".auth = " + configured
                        + " is not one of oauth1, bearer, admin-token");
            }
            if (store.settings().get("consumer-key") != null) {
                return OAUTH1;
            }
            if (store.token() != null) {
                return BEARER;
            }
            return store.username() != null ? ADMIN_TOKEN : OAUTH1;
        }
    }

    /** The integration's credentials; every missing one is named in the error. */
    static MagentoOAuth1.Keys oauthKeys(StoreConfig store) {
        Map<String, String> s = store.settings();
        return new MagentoOAuth1.Keys(
                Credentials.required(store, s.get("consumer-key"), "consumer-key"),
                Credentials.required(store, s.get("consumer-secret"), "consumer-secret"),
                Credentials.required(store, s.get("access-token"), "access-token"),
                Credentials.required(store, s.get("access-token-secret"), "access-token-secret"));
    }

    /**
     * OAuth 1.0a by default (a stock Magento 2.4.4+ store refuses the other two ways): each request is signed
     * over its method, the store's base URL plus path, and its query. The bearer and admin-token ways stay
     * selectable with {@code stores.<id>.auth} (see docs/platforms/magento.md for their caveats).
     */
    @Override
    public Credentials credentials() {
        return new Credentials() {
            @Override
            public void apply(StoreConfig store, String path, org.apache.camel.Message m,
                              java.util.function.Supplier<String> session) {
                switch (Auth.of(store)) {
                    case OAUTH1 -> {
                        String query = m.getHeader(org.apache.camel.Exchange.HTTP_QUERY, String.class);
                        String url = store.baseUrl() + path + (query == null || query.isEmpty() ? "" : "?" + query);
                        String method = m.getHeader(org.apache.camel.Exchange.HTTP_METHOD, "GET", String.class);
                        m.setHeader("Authorization", MagentoOAuth1.authorization(oauthKeys(store), method, url));
                    }
                    case BEARER -> m.setHeader("Authorization", "Bearer "
                            + Credentials.required(store, store.token(), "token"));
                    case ADMIN_TOKEN -> m.setHeader("Authorization", "Bearer " + session.get());
                }
            }

            @Override
            public boolean signsIn(StoreConfig store) {
                return Auth.of(store) == Auth.ADMIN_TOKEN;
            }

            /** A 400 after good credentials is Magento_TwoFactorAuth ("Please use the 2fa provider-specific endpoints"). */
            @Override
            public String signInRefused(StoreConfig store, int status) {
                String login = "check stores." + store.id() + ".username and .password";
                return status == 400 ? "Magento refuses admin tokens while two-factor auth is enabled (the default);"
                        + " sign with an integration instead (stores." + store.id() + ".auth = oauth1 and its consumer-key,"
                        + " consumer-secret, access-token, access-token-secret), or " + login : login;
            }

            @Override
            public StoreRequest signIn(StoreConfig store) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("username", Credentials.required(store, store.username(), "username"));
                body.put("password", Credentials.required(store, store.password(), "password"));
                return StoreRequest.post("/V1/integration/admin/token", body.toString());
            }
        };
    }

    @Override
    public Map<String, String> budgetPolicies() {
        return Map.of("rest", "polite-cap");
    }

    @Override
    public WebhookVerifier webhookVerifier(Clock clock) {
        return new MagentoWebhookVerifier();
    }

    /**
     * Magento answers a resource the integration (or admin role) was not granted with 401
     * {@code {"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":...}}}
     * (e.g. Magento_Customer::customer): a missing ACL resource, reported with the resource
     * filled in. Magento gives the same answer to a token it does not accept as a bearer token, so the message
     * says so. A 404 for {@code /V1/users} is a Magento without the admin-users endpoint (stock 2.4.8).
     */
    @Override
    public com.commerceidentity.platform.SurfaceCheck check(SyncSurface surface,
            com.commerceidentity.sync.SurfaceWalker walker, com.commerceidentity.sync.PageRequest request, int status,
            String body, Map<String, String> headers) {
        if (status == 401 && body != null) {
            try {
                JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
                JsonNode resources = root.path("parameters").path("resources");
                if (resources.isTextual()) {
                    return new com.commerceidentity.platform.SurfaceCheck(
                            com.commerceidentity.platform.SurfaceCheck.Outcome.SCOPE_MISSING,
                            root.path("message").asText().replace("%resources", resources.asText())
                                    + " (grant the resource to the integration; Magento answers the same when it does"
                                    + " not accept the token at all)", status);
                }
            } catch (java.io.IOException e) {
                // not JSON: the standard reading reports it
            }
        }
        return com.commerceidentity.platform.SurfaceCheck.standard(walker, request, status, body, headers);
    }

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("authorization");
    }

    /** Customers by id: what confirms a customer deletion at the store (see magentoWebhookTopics). */
    @Override
    public java.util.Optional<com.commerceidentity.platform.WebhookFetch> webhookFetch() {
        return java.util.Optional.of(new MagentoCustomerLookup());
    }
}
