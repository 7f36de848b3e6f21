package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 part 5: {@code POST /stores/{id}/check} answers per enabled surface ok / auth-refused / scope-missing /
 * unavailable with the platform's own message; a Shopify token without read_users is reported, by the check and
 * by the sync, never synced as a shop without staff.
 */
class StoreCheckTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        // the Magento sandbox as a store with a module that adds /V1/users (stock 2.4.8 has none: StaffOffboarding and
        // MagentoStockAuthTest cover that), so every surface it enables can be checked
        sync = new SyncHarness(dir, Map.of("sandbox.customers", "10", "sandbox.staff", "4",
                "sandbox.magento.adminUsersEndpoint", "true"));
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    private HttpResponse<String> check(String store) throws Exception {
        return sync.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sync.port + "/stores/" + store
                        + "/check")).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode checked(String store) throws Exception {
        HttpResponse<String> r = check(store);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        return json.readTree(r.body());
    }

    @Test
    void everySandboxStoreChecksOkOnEveryEnabledSurface() throws Exception {
        for (String store : new String[] {"shopify-sandbox", "bigcommerce-sandbox", "magento-sandbox", "medusa-sandbox",
                "woocommerce-sandbox"}) {
            JsonNode answer = checked(store);
            assertThat(answer.path("ok").asBoolean()).as(answer.toString()).isTrue();
            assertThat(answer.path("surfaces").size()).as(answer.toString()).isGreaterThanOrEqualTo(1);
            answer.path("surfaces").forEach(s -> assertThat(s.path("outcome").asText()).isEqualTo("ok"));
        }
        assertThat(checked("shopify-sandbox").path("surfaces").has("staff")).isTrue();
    }

    @Test
    void aShopifyTokenWithoutReadUsersIsAMissingScopeForTheCheckAndTheSync() throws Exception {
        Simulator shopify = sync.simulator("shopify-sandbox");
        shopify.configure(json.createObjectNode().put("accessScopes", "read_customers"));
        try {
            JsonNode answer = checked("shopify-sandbox");
            assertThat(answer.path("ok").asBoolean()).isFalse();
            assertThat(answer.at("/surfaces/customers/outcome").asText()).isEqualTo("ok");
            assertThat(answer.at("/surfaces/staff/outcome").asText()).isEqualTo("scope-missing");
            assertThat(answer.at("/surfaces/staff/message").asText()).contains("Access denied for staffMembers field")
                    .contains("read_users");

            Map<String, Object> run = sync.run("shopify-sandbox", "staff");
            assertThat(run).containsEntry("outcome", "unavailable");
            assertThat((String) run.get("message")).contains("scope missing").contains("read_users");
            assertThat(sync.reconcileOf("shopify-sandbox", "staff")).as("no deletion pass after a refused listing").isNull();
        } finally {
            shopify.configure(json.createObjectNode().put("accessScopes", "read_customers,read_users"));
        }
    }

    @Test
    void aShopifyTokenWithoutReadCustomersIsAMissingScope() throws Exception {
        Simulator shopify = sync.simulator("shopify-sandbox");
        shopify.configure(json.createObjectNode().put("accessScopes", "read_users"));
        try {
            JsonNode answer = checked("shopify-sandbox");
            assertThat(answer.at("/surfaces/customers/outcome").asText()).isEqualTo("scope-missing");
            assertThat(answer.at("/surfaces/customers/httpStatus").asInt()).isEqualTo(403);
            assertThat(answer.at("/surfaces/customers/message").asText()).contains("read_customers");
            assertThat(answer.at("/surfaces/staff/outcome").asText()).isEqualTo("ok");
        } finally {
            shopify.configure(json.createObjectNode().put("accessScopes", "read_customers,read_users"));
        }
    }

    @Test
    void aTokenTheStoreDoesNotAcceptIsAuthRefusedWithThePlatformsMessage() throws Exception {
        Simulator shopify = sync.simulator("shopify-sandbox");
        String token = shopify.config().path("accessToken").asText();
        shopify.configure(json.createObjectNode().put("accessToken", "shpat_revoked"));
        try {
            JsonNode answer = checked("shopify-sandbox");
            assertThat(answer.at("/surfaces/customers/outcome").asText()).isEqualTo("auth-refused");
            assertThat(answer.at("/surfaces/customers/message").asText()).contains("Invalid API key or access token");
            assertThat(answer.at("/surfaces/staff/outcome").asText()).isEqualTo("auth-refused");
        } finally {
            shopify.configure(json.createObjectNode().put("accessToken", token));
        }
    }

    @Test
    void aRefusedSignInIsAuthRefused() throws Exception {
        Simulator magento = sync.simulator("magento-sandbox");
        String secret = magento.config().path("accessTokenSecret").asText();
        // the integration's token secret changed in the store (re-authorized): our signatures no longer verify
        magento.configure(json.createObjectNode().put("accessTokenSecret", "changed-by-someone"));
        try {
            JsonNode answer = checked("magento-sandbox");
            assertThat(answer.at("/surfaces/customers/outcome").asText()).as(answer.toString()).isEqualTo("auth-refused");
            assertThat(answer.at("/surfaces/admin-users/outcome").asText()).isEqualTo("auth-refused");
        } finally {
            magento.configure(json.createObjectNode().put("accessTokenSecret", secret));
        }
    }

    @Test
    void aSurfaceTheVersionLacksIsUnavailable() throws Exception {
        Simulator magento = sync.simulator("magento-sandbox");
        magento.configure(json.createObjectNode().put("adminUsersEndpoint", false));
        try {
            JsonNode answer = checked("magento-sandbox");
            assertThat(answer.at("/surfaces/customers/outcome").asText()).isEqualTo("ok");
            assertThat(answer.at("/surfaces/admin-users/outcome").asText()).isEqualTo("unavailable");
            assertThat(answer.at("/surfaces/admin-users/httpStatus").asInt()).isEqualTo(404);
        } finally {
            magento.configure(json.createObjectNode().put("adminUsersEndpoint", true));
        }
    }

    @Test
    void anUnknownStoreIs404InTheApisErrorStyle() throws Exception {
        HttpResponse<String> r = check("no-such-store");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no store 'no-such-store' is configured");
    }
}
