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

    /**
     * An integration access token ({@code token}) never expires, so it wins; otherwise the admin login.
     * {@code stores.<id>.auth = password} forces the login.
     */
    @Override
    public Credentials credentials() {
        return new Credentials() {
            @Override
            public void apply(StoreConfig store, String path, org.apache.camel.Message m,
                              java.util.function.Supplier<String> session) {
                m.setHeader("Authorization", "Bearer " + (signsIn(store) ? session.get()
                        : Credentials.required(store, store.token(), "token")));
            }

            @Override
            public boolean signsIn(StoreConfig store) {
                return "password".equals(store.settings().get("auth")) || store.token() == null;
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
}
