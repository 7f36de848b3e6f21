package com.commerceidentity.platform.medusa;

import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.platform.WebhookFetch;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.webhook.StoreRequest;
import com.commerceidentity.webhook.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Medusa v2: customers, users and pending invites; a polite cap; thin events (ids) whose records are fetched. */
public class MedusaModule implements PlatformModule {

    @Override
    public String id() {
        return "medusa";
    }

    @Override
    public List<SyncSurface> surfaces() {
        return List.of(
                new SyncSurface("customers", Kind.CUSTOMER, true, 500, (store, size) -> new MedusaPages(Kind.CUSTOMER, size)),
                new SyncSurface("users", Kind.STAFF, true, 500, (store, size) -> new MedusaPages(Kind.STAFF, size)),
                // Pending staff: an invite is an account that is not usable yet. A staff surface of its own, so each
                // staff run lists users and invites together and an accepted (soft-deleted) invite is deleted.
                new SyncSurface("invites", Kind.STAFF, true, 500,
                        (store, size) -> new MedusaPages("invites", Kind.STAFF, size)));
    }

    @Override
    public PlatformMapper mapper(AccountNormalizer normalizer) {
        return new MedusaMapper(normalizer);
    }

    /** A secret API key ({@code api-key}) wins over the user login; {@code stores.<id>.auth = password} forces the login. */
    @Override
    public Credentials credentials() {
        return new Credentials() {
            @Override
            public void apply(StoreConfig store, String path, org.apache.camel.Message m,
                              java.util.function.Supplier<String> session) {
                m.setHeader("Authorization", signsIn(store) ? "Bearer " + session.get()
                        : "Basic " + Base64.getEncoder().encodeToString((Credentials.required(store, store.apiKey(),
                        "api-key") + ":").getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public boolean signsIn(StoreConfig store) {
                return "password".equals(store.settings().get("auth")) || store.apiKey() == null;
            }

            @Override
            public StoreRequest signIn(StoreConfig store) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("email", Credentials.required(store, store.username(), "username"));
                body.put("password", Credentials.required(store, store.password(), "password"));
                return StoreRequest.post("/auth/user/emailpass", body.toString());
            }
        };
    }

    @Override
    public Map<String, String> budgetPolicies() {
        return Map.of("rest", "polite-cap");
    }

    @Override
    public WebhookVerifier webhookVerifier(Clock clock) {
        return new MedusaWebhookVerifier();
    }

    /** Medusa events carry ids only ({@code data[].id}). */
    @Override
    public Optional<WebhookFetch> webhookFetch() {
        return Optional.of(new WebhookFetch() {
            @Override
            public StoreRequest request(StoreConfig store, Kind kind, Set<String> ids) {
                return StoreRequest.get(kind == Kind.STAFF ? "/admin/users" : "/admin/customers",
                        ids.stream().map(id -> enc("id[]") + "=" + enc(id)).collect(Collectors.joining("&"))
                                + "&limit=" + Math.max(50, ids.size()));
            }

            @Override
            public JsonNode records(JsonNode answer, Kind kind) {
                return answer.path(kind == Kind.STAFF ? "users" : "customers");
            }
        });
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Override
    public Set<String> outboundHeaders() {
        return Set.of("authorization");
    }
}
