package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ShopifyRateLimitTest {

    ShopifySimulator sim;

    ShopifySimulator start(String capacity, String leak) {
        sim = new ShopifySimulator(SandboxSettings.defaults().with("shopify.customers", "5").with("shopify.staff", "3")
                .with("shopify.bucketCapacity", capacity).with("shopify.leakPerSecond", leak));
        sim.start();
        return sim;
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    HttpResponse<String> call() {
        return Http.get(sim.adminUrl("2025-07") + "/customers.json", "X-Shopify-Access-Token", sim.accessToken());
    }

    @Test
    void everyRestResponseCarriesTheCallLimitHeader() {
        start("40", "2");
        assertThat(call().headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("1/40");
        assertThat(call().headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("2/40");
    }

    @Test
    void fullBucketAnswers429WithRetryAfterInSeconds() {
        start("5", "0.5");
        for (int i = 0; i < 5; i++) {
            assertThat(call().statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = call();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").orElseThrow()).matches("\\d+\\.\\d");
        assertThat(Double.parseDouble(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(0.1, 2.0);
        assertThat(limited.headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("5/5");
        assertThat(Json.parse(limited.body()).path("errors").asText()).startsWith("Exceeded");
        assertThat(sim.counters().tooManyRequests()).isEqualTo(1);
    }

    @Test
    void bucketLeaksAtTheConfiguredRate() throws InterruptedException {
        start("4", "2");
        for (int i = 0; i < 4; i++) {
            call();
        }
        assertThat(call().statusCode()).isEqualTo(429);
        Thread.sleep(600);
        assertThat(call().statusCode()).isEqualTo(200);
        assertThat(sim.restBucketLevel()).isLessThanOrEqualTo(4.0);
    }

    @Test
    void coTenantOneOffSpendUsesTheSharedBucket() {
        start("10", "0.5");
        assertThat(Http.post(sim.controlUrl() + "/config", "{\"coTenantSpend\":10}").statusCode()).isEqualTo(200);
        assertThat(call().statusCode()).isEqualTo(429);
    }

    @Test
    void coTenantRateKeepsTheBucketBusy() {
        start("10", "2");
        sim.configure(Json.object().put("coTenantRequestsPerSecond", 50));
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> sim.restBucketLevel() >= 9.9);
        assertThat(call().statusCode()).isEqualTo(429);
        sim.configure(Json.object().put("coTenantRequestsPerSecond", 0));
    }

    @Test
    void unauthenticatedCallsDoNotSpendTheBucket() {
        start("40", "0.01");
        for (int i = 0; i < 3; i++) {
            Http.get(sim.adminUrl("2025-07") + "/customers.json");
        }
        assertThat(call().headers().firstValue("X-Shopify-Shop-Api-Call-Limit")).hasValue("1/40");
    }

    @Test
    void graphqlDoesNotSpendTheRestBucket() {
        start("2", "0.01");
        for (int i = 0; i < 3; i++) {
            assertThat(Http.post(sim.adminUrl("2025-07") + "/graphql.json",
                    "{\"query\":\"{ staffMembers(first: 1) { edges { node { id } } } }\"}",
                    "X-Shopify-Access-Token", sim.accessToken()).statusCode()).isEqualTo(200);
        }
        assertThat(call().statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitStormFaultUsesShopifyShape() {
        start("40", "2");
        sim.faults().add(com.commerceidentity.sandbox.FaultType.RATE_LIMIT, "/admin/*", 2);
        HttpResponse<String> first = call();
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).isPresent();
        assertThat(call().statusCode()).isEqualTo(429);
        assertThat(call().statusCode()).isEqualTo(200);
    }
}
