package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.FaultType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** direct:store-call: each platform's auth, retries of what can be retried, clear failures of what cannot. */
class StoreCallTest {
    @TempDir
    static Path dir;
    static StoreCallHarness stores;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        stores = new StoreCallHarness(dir, Map.of(
                "sandbox.magento.adminTokenLifetimeSeconds", "1",
                // a second Magento store signing in the admin-token way (its simulator's 2FA is turned off below)
                "stores.magento-admin.platform", "magento",
                "stores.magento-admin.base-url", "http://127.0.0.1:0/rest/all",
                "stores.magento-admin.sandbox", "true",
                "stores.magento-admin.auth", "admin-token",
                "stores.magento-admin.username", "admin",
                "stores.magento-admin.password", "store-call-test-pw",
                "stores.magento-admin.token-lifetime-minutes", "600"));
        stores.simulatorOf("magento-admin").configure(new ObjectMapper().createObjectNode().put("twoFactorAuth", false));
    }

    @AfterAll
    static void stop() {
        stores.close();
    }

    @BeforeEach
    void noFaults() {
        for (String p : new String[] {"shopify", "bigcommerce", "magento", "medusa"}) {
            stores.simulator(p).faults().clear();
        }
    }

    @Test
    void everyPlatformAnswersWithItsOwnCredentialsAndNoCredentialIsLeftOnTheMessage() throws Exception {
        Exchange shopify = stores.get("shopify-sandbox", "/admin/api/2025-07/customers.json", "limit=5");
        Exchange bigcommerce = stores.get("bigcommerce-sandbox", "/v3/customers", "limit=5");
        Exchange magento = stores.get("magento-sandbox", "/V1/customers/search",
                "searchCriteria%5BpageSize%5D=5&searchCriteria%5BcurrentPage%5D=1");
        Exchange medusa = stores.get("medusa-sandbox", "/admin/customers", "limit=5");

        assertThat(StoreCallHarness.status(shopify)).isEqualTo(200);
        assertThat(json.readTree(shopify.getMessage().getBody(String.class)).get("customers")).hasSize(5);
        assertThat(StoreCallHarness.status(bigcommerce)).isEqualTo(200);
        assertThat(json.readTree(bigcommerce.getMessage().getBody(String.class)).get("data")).hasSize(5);
        assertThat(StoreCallHarness.status(magento)).isEqualTo(200);
        assertThat(json.readTree(magento.getMessage().getBody(String.class)).get("items")).hasSize(5);
        assertThat(StoreCallHarness.status(medusa)).isEqualTo(200);
        assertThat(json.readTree(medusa.getMessage().getBody(String.class)).get("customers")).hasSize(5);
        for (Exchange ex : new Exchange[] {shopify, bigcommerce, magento, medusa}) {
            assertThat(ex.getMessage().getHeaders()).doesNotContainKeys("Authorization", "X-Shopify-Access-Token",
                    "X-Auth-Token");
        }
    }

    @Test
    void routeHeadersNeverReachTheStore() {
        Exchange answer = stores.producer.request("direct:store-call", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, "bigcommerce-sandbox");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, "/v3/customers");
            ex.getMessage().setHeader("X-Internal-Secret", "route-private");
        });
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getMessage().getHeader("X-Rate-Limit-Requests-Quota", String.class))
                .as("response headers do come back to the route").isNotBlank();
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedUntilThePageArrives() {
        var sim = stores.simulator("bigcommerce");
        sim.faults().add(FaultType.SERVER_ERROR, "*/v3/customers", 2);
        sim.faults().add(FaultType.CONNECTION_RESET, "*/v3/customers", 1);
        Exchange answer = stores.get("bigcommerce-sandbox", "/v3/customers", "limit=3");
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.ATTEMPTS, Integer.class)).isEqualTo(4);
    }

    @Test
    void aStoreThatKeepsFailingEndsInAnErrorNamingTheStoreTheRequestAndTheCause() {
        stores.simulator("medusa").faults().add(FaultType.SERVER_ERROR, "/admin/customers", 50);
        Exchange answer = stores.get("medusa-sandbox", "/admin/customers", "limit=1");
        assertThat(answer.getException()).isInstanceOf(StoreCallException.class)
                .hasMessageContaining("GET /admin/customers?limit=1 on store 'medusa-sandbox'")
                .hasMessageContaining("after 6 attempts").hasMessageContaining("HTTP 5");
    }

    @Test
    void eachKindOfFailureHasItsOwnAllowanceSo429sLeaveTheRetriesOfA5xxUntouched() {
        var sim = stores.simulator("shopify");
        // the 5xx alone use up app.store-call.max-attempts: one count for both would fail the call
        sim.faults().add(FaultType.RATE_LIMIT, "/admin/api/*/customers.json", 2);
        sim.faults().add(FaultType.SERVER_ERROR, "/admin/api/*/customers.json", 5);
        Exchange answer = stores.get("shopify-sandbox", "/admin/api/2025-07/customers.json", "limit=1");
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(answer.getProperty(StoreCalls.RATE_LIMITED, Integer.class)).isEqualTo(2);
        assertThat(answer.getProperty(StoreCalls.ATTEMPTS, Integer.class)).as("2 429s, 5 5xx, then the page").isEqualTo(8);
    }

    @Test
    void aCallerSeesEachCallsOwnAttemptsAndItsOwnErrorHandlerGetsAFailedCall() throws Exception {
        stores.app.context().addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:two-store-calls").routeId("two-store-calls")
                        .onException(StoreCallException.class).handled(true)
                            .setBody(simple("caller handled: ${exception.message}")).end()
                        .to("direct:store-call")
                        .setProperty("firstAttempts", exchangeProperty(StoreCalls.ATTEMPTS))
                        .setHeader(StoreCalls.STORE_ID, constant("medusa-sandbox"))
                        .setHeader(Exchange.HTTP_PATH, constant("/admin/customers"))
                        .to("direct:store-call");
            }
        });
        stores.simulator("bigcommerce").faults().add(FaultType.SERVER_ERROR, "*/v3/customers", 3);
        stores.simulator("medusa").faults().add(FaultType.SERVER_ERROR, "/admin/customers", 1);
        Exchange both = stores.producer.request("direct:two-store-calls", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, "bigcommerce-sandbox");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, "/v3/customers");
        });
        assertThat(StoreCallHarness.status(both)).isEqualTo(200);
        assertThat(both.getProperty("firstAttempts", Integer.class)).isEqualTo(4);
        assertThat(both.getProperty(StoreCalls.ATTEMPTS, Integer.class)).as("the second call counts from one").isEqualTo(2);
        assertThat(both.getMessage().getHeaders()).doesNotContainKeys(Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERED);

        stores.simulator("bigcommerce").faults().add(FaultType.SERVER_ERROR, "*/v3/customers", 50);
        Exchange failed = stores.producer.request("direct:two-store-calls", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, "bigcommerce-sandbox");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, "/v3/customers");
        });
        assertThat(failed.getException()).isNull();
        assertThat(failed.getMessage().getBody(String.class))
                .startsWith("caller handled: GET /v3/customers on store 'bigcommerce-sandbox' failed after 6 attempts");
    }

    @Test
    void eachCallOnAnExchangeCarriesItsOwnAnswersHeadersAndNoneLeftFromAnEarlierAnswer() {
        stores.simulator("medusa").faults().add(FaultType.RATE_LIMIT, "/admin/customers", 1);
        Exchange ex = stores.get("medusa-sandbox", "/admin/customers", "limit=1");
        assertThat(StoreCallHarness.status(ex)).isEqualTo(200);
        assertThat(ex.getMessage().getHeader("Retry-After")).as("the 429's wait is not the page's").isNull();

        ex.getMessage().setHeader(StoreCalls.STORE_ID, "shopify-sandbox");
        ex.getMessage().setHeader(Exchange.HTTP_PATH, "/admin/api/2025-07/customers.json");
        ex.getMessage().setHeader(Exchange.HTTP_QUERY, "limit=5");
        stores.producer.send("direct:store-call", ex);
        assertThat(StoreCallHarness.status(ex)).isEqualTo(200);
        assertThat(ex.getMessage().getHeader("Link", String.class)).contains("rel=\"next\"");

        // a caller walking on (a reconcile, a follow-up) with a request whose answer has no Link of its own
        ex.getMessage().setHeader(Exchange.HTTP_PATH, "/admin/api/2025-07/customers/count.json");
        ex.getMessage().removeHeader(Exchange.HTTP_QUERY);
        stores.producer.send("direct:store-call", ex);
        assertThat(StoreCallHarness.status(ex)).isEqualTo(200);
        assertThat(ex.getMessage().getHeader("Link")).as("the previous page's next link").isNull();
        assertThat(ex.getMessage().getHeader("X-Shopify-Shop-Api-Call-Limit", String.class)).isNotBlank();
    }

    @Test
    void anUnknownStoreIsAClearError() {
        Exchange answer = stores.get("nope", "/x", null);
        assertThat(answer.getException()).hasMessageContaining("no store 'nope' is configured");
    }

    @Test
    void clientErrorsGoBackToTheCallerWithTheirStatus() {
        Exchange answer = stores.get("magento-sandbox", "/V1/customers/999999999", null);
        assertThat(StoreCallHarness.status(answer)).isEqualTo(404);
        assertThat(answer.getProperty(StoreCalls.ATTEMPTS, Integer.class)).isEqualTo(1);
    }

    @Test
    void anExpiredMagentoAdminTokenIsRenewedOnTheFirst401() throws Exception {
        assertThat(StoreCallHarness.status(stores.get("magento-admin", "/V1/customers/search",
                "searchCriteria%5BpageSize%5D=1"))).isEqualTo(200);
        Thread.sleep(1100); // the sandbox issues 1-second tokens here; ours believes in 10 hours
        Exchange later = stores.get("magento-admin", "/V1/customers/search", "searchCriteria%5BpageSize%5D=1");
        assertThat(StoreCallHarness.status(later)).isEqualTo(200);
        JsonNode counters = stores.simulatorOf("magento-admin").counters().toJson();
        assertThat(counters.toString()).contains("integration/admin/token");
    }

    @Test
    void theStockMagentoSandboxStoreSignsWithOAuthAndNeverAsksForAnAdminToken() throws Exception {
        Exchange answer = stores.get("magento-sandbox", "/V1/customers/search",
                "searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=updated_at"
                        + "&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=2000-01-01%2000%3A00%3A00"
                        + "&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5BconditionType%5D=gteq"
                        + "&searchCriteria%5BpageSize%5D=2");
        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(stores.simulator("magento").counters().toJson().toString()).doesNotContain("integration/admin/token");
    }

    @Test
    void anAdminTokenRefusedFor2faSaysToUseAnIntegration() {
        stores.simulatorOf("magento-admin").configure(new ObjectMapper().createObjectNode().put("twoFactorAuth", true));
        try {
            // the cached token may still be good: wait until it expired so the store asks for a new one
            Exchange answer = null;
            for (int i = 0; i < 30 && (answer == null || answer.getException() == null); i++) {
                answer = stores.get("magento-admin", "/V1/customers/search", "searchCriteria%5BpageSize%5D=1");
                if (answer.getException() == null) {
                    Thread.sleep(200);
                }
            }
            assertThat(answer.getException()).hasMessageContaining("refused with HTTP 400")
                    .hasMessageContaining("two-factor auth").hasMessageContaining("stores.magento-admin.auth = oauth1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stores.simulatorOf("magento-admin").configure(new ObjectMapper().createObjectNode().put("twoFactorAuth", false));
        }
    }
}
