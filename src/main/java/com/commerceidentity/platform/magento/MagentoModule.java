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

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("authorization");
    }
}
