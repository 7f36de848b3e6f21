package com.commerceidentity.sandbox.bigcommerce;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BigCommerceRateLimitTest {

    BigCommerceSimulator sim;

    void start(int quota, long windowMillis) {
        sim = new BigCommerceSimulator(SandboxSettings.defaults().with("bigcommerce.customers", "5")
                .with("bigcommerce.quota", String.valueOf(quota)).with("bigcommerce.windowMillis", String.valueOf(windowMillis)));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    HttpResponse<String> call() {
        return Http.get(sim.apiUrl() + "/customers", "X-Auth-Token", sim.accessToken());
    }

    @Test
    void everyResponseCarriesTheFourRateLimitHeaders() {
        start(150, 30000);
        HttpResponse<String> response = call();
        assertThat(response.headers().firstValue("X-Rate-Limit-Requests-Left")).hasValue("149");
        assertThat(response.headers().firstValue("X-Rate-Limit-Requests-Quota")).hasValue("150");
        assertThat(response.headers().firstValue("X-Rate-Limit-Time-Window-Ms")).hasValue("30000");
        assertThat(Long.parseLong(response.headers().firstValue("X-Rate-Limit-Time-Reset-Ms").orElseThrow())).isBetween(29000L, 30000L);
        HttpResponse<String> error = Http.get(sim.apiUrl() + "/customers?sort=bad", "X-Auth-Token", sim.accessToken());
        assertThat(error.statusCode()).isEqualTo(422);
        assertThat(error.headers().firstValue("X-Rate-Limit-Requests-Left")).hasValue("148");
    }

    @Test
    void overQuotaAnswers429WithTimeToTheNextFreeSlotAndNoRetryAfter() {
        start(3, 2000);
        for (int i = 0; i < 3; i++) {
            assertThat(call().statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = call();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("X-Rate-Limit-Requests-Left")).hasValue("0");
        assertThat(Long.parseLong(limited.headers().firstValue("X-Rate-Limit-Time-Reset-Ms").orElseThrow())).isBetween(1L, 2000L);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(Json.parse(limited.body()).path("title").asText()).isEqualTo("Too many requests");
        assertThat(sim.counters().tooManyRequests()).isEqualTo(1);
    }

    @Test
    void slotsFreeAsTheWindowRolls() throws InterruptedException {
        start(2, 1000);
        call();
        call();
        assertThat(call().statusCode()).isEqualTo(429);
        long resetMs = Long.parseLong(call().headers().firstValue("X-Rate-Limit-Time-Reset-Ms").orElseThrow());
        Thread.sleep(resetMs + 20);
        assertThat(call().statusCode()).isEqualTo(200);
    }

    @Test
    void retryAfterKnobAddsRetryAfterInSeconds() {
        start(1, 5000);
        sim.configure(Json.object().put("retryAfter", true));
        call();
        HttpResponse<String> limited = call();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 5);
    }

    @Test
    void overloadKnobAnswers429WithoutRateLimitHeaders() {
        start(150, 30000);
        assertThat(Http.post(sim.controlUrl() + "/config", "{\"overloadNext\":1}").statusCode()).isEqualTo(200);
        HttpResponse<String> overloaded = call();
        assertThat(overloaded.statusCode()).isEqualTo(429);
        assertThat(overloaded.headers().firstValue("X-Rate-Limit-Time-Reset-Ms")).isEmpty();
        assertThat(overloaded.headers().firstValue("X-Rate-Limit-Requests-Left")).isEmpty();
        assertThat(call().statusCode()).isEqualTo(200);
    }

    @Test
    void coTenantSpendSharesTheStoreQuota() {
        start(10, 30000);
        sim.configure(Json.object().put("coTenantSpend", 9));
        HttpResponse<String> response = call();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Rate-Limit-Requests-Left")).hasValue("0");
        assertThat(call().statusCode()).isEqualTo(429);
    }

    @Test
    void coTenantRateConsumesTheWindowInTheBackground() {
        start(20, 30000);
        sim.configure(Json.object().put("coTenantRequestsPerSecond", 100));
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> call().statusCode() == 429);
        sim.configure(Json.object().put("coTenantRequestsPerSecond", 0));
    }

    @Test
    void scaledWindowForBenchmarksIsReportedInHeaders() {
        start(1500, 3000);
        HttpResponse<String> response = call();
        assertThat(response.headers().firstValue("X-Rate-Limit-Requests-Quota")).hasValue("1500");
        assertThat(response.headers().firstValue("X-Rate-Limit-Time-Window-Ms")).hasValue("3000");
    }

    @Test
    void rateLimitStormFaultKeepsTheHeaders() {
        start(150, 30000);
        sim.faults().add(FaultType.RATE_LIMIT, "/stores/*", 1);
        HttpResponse<String> limited = call();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("X-Rate-Limit-Time-Reset-Ms")).isPresent();
        assertThat(call().statusCode()).isEqualTo(200);
    }

    @Test
    void unauthenticatedRequestsDoNotUseTheQuota() {
        start(2, 30000);
        for (int i = 0; i < 3; i++) {
            assertThat(Http.get(sim.apiUrl() + "/customers").statusCode()).isEqualTo(401);
        }
        assertThat(call().headers().firstValue("X-Rate-Limit-Requests-Left")).hasValue("1");
    }
}
