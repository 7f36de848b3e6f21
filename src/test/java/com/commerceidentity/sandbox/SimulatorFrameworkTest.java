package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorFrameworkTest {

    static TinySimulator sim;

    @BeforeAll
    static void start() {
        sim = new TinySimulator();
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.faults().clear();
        sim.counters().reset();
    }

    @Test
    void startsOnEphemeralLoopbackPortAndServesPlatformRoutes() {
        assertThat(sim.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
        HttpResponse<String> response = Http.get(sim.baseUrl() + "/items");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).path("items")).hasSize(5);
    }

    @Test
    void serverDeclinesTheH2cUpgradeThatJavaClientsAttempt() {
        HttpResponse<String> response = Http.get(sim.baseUrl() + "/items");
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    }

    @Test
    void firstRequestToEachNewSimulatorIsAnsweredByASharedClient() {
        for (int i = 0; i < 15; i++) {
            try (TinySimulator fresh = new TinySimulator()) {
                fresh.start();
                assertThat(Http.get(fresh.baseUrl() + "/items").statusCode()).as("simulator %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void unknownPathIsAnsweredWithPlatformNotFound() {
        assertThat(Http.get(sim.baseUrl() + "/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void countersTrackRequestsPerEndpointAndStatusButNotControlCalls() {
        Http.get(sim.baseUrl() + "/items");
        Http.get(sim.baseUrl() + "/items");
        Http.get(sim.controlUrl() + "/counters");
        assertThat(sim.counters().total()).isEqualTo(2);
        assertThat(sim.counters().requests("GET /items")).isEqualTo(2);
        assertThat(sim.counters().withStatus(200)).isEqualTo(2);
        JsonNode overHttp = Json.parse(Http.get(sim.controlUrl() + "/counters").body());
        assertThat(overHttp.path("byEndpoint").path("GET /items").path("requests").asLong()).isEqualTo(2);
    }

    @Test
    void endpointKeysReplaceNumericSegments() {
        assertThat(RequestCounters.endpointKey("GET", "/admin/api/2025-07/customers/706405506930370084.json"))
                .isEqualTo("GET /admin/api/2025-07/customers/{id}.json");
    }

    @Test
    void serverErrorBurstHitsOnlyTheNextNMatchingRequests() {
        postFault("{\"type\":\"SERVER_ERROR\",\"path\":\"/items\",\"count\":2,\"status\":502}");
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(502);
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(502);
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(200);
        assertThat(sim.counters().withStatus(502)).isEqualTo(2);
    }

    @Test
    void faultsTargetOnlyMatchingPathsAndMethods() {
        sim.faults().add(FaultType.SERVER_ERROR, "POST", "/items", 1, 0, 500);
        sim.faults().add(FaultType.SERVER_ERROR, null, "/other/*", 1, 0, 500);
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(200);
        assertThat(sim.faults().armed()).hasSize(2);
    }

    @Test
    void rateLimitStormAnswers429AndIsCounted() {
        sim.faults().add(FaultType.RATE_LIMIT, "/items", 3);
        for (int i = 0; i < 3; i++) {
            assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(429);
        }
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(200);
        assertThat(sim.counters().tooManyRequests()).isEqualTo(3);
        assertThat(sim.counters().tooManyRequests("GET /items")).isEqualTo(3);
    }

    @Test
    void slowResponsesTakeAtLeastTheGivenDelay() {
        sim.faults().add(FaultType.SLOW, null, "/items", 1, 300, 0);
        long started = System.nanoTime();
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void connectionResetClosesTheSocketWithoutAResponse() throws Exception {
        sim.faults().add(FaultType.CONNECTION_RESET, "/items", 1);
        // a raw socket, because java.net.http silently retries a GET whose pooled connection was closed
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sim.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /items HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(sim.counters().resets()).isEqualTo(1);
        assertThat(Http.get(sim.baseUrl() + "/items").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionResetSurfacesAsAnIoErrorWhenEveryAttemptIsCut() {
        sim.faults().add(FaultType.CONNECTION_RESET, "/items", 3);
        assertThatThrownBy(() -> Http.get(sim.baseUrl() + "/items")).isInstanceOf(UncheckedIOException.class);
        sim.faults().clear();
    }

    @Test
    void truncatedBodyIsCutInHalfAndDoesNotParse() {
        String full = Http.get(sim.baseUrl() + "/items").body();
        sim.faults().add(FaultType.TRUNCATED_BODY, "/items", 1);
        HttpResponse<String> response = Http.get(sim.baseUrl() + "/items");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(full).startsWith(response.body());
        assertThat(response.body().length()).isLessThan(full.length());
        assertThatThrownBy(() -> Json.parse(response.body())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedBodyDoesNotParse() {
        sim.faults().add(FaultType.MALFORMED_JSON, "/items", 1);
        String body = Http.get(sim.baseUrl() + "/items").body();
        assertThatThrownBy(() -> Json.parse(body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyPageFaultIsHandedToTheListHandler() {
        sim.faults().add(FaultType.EMPTY_PAGE, "/items", 1);
        assertThat(Json.parse(Http.get(sim.baseUrl() + "/items").body()).path("items")).isEmpty();
        assertThat(Json.parse(Http.get(sim.baseUrl() + "/items").body()).path("items")).hasSize(5);
    }

    @Test
    void faultsCanBeListedAndClearedOverHttp() {
        postFault("{\"type\":\"SLOW\",\"path\":\"/items\",\"count\":-1,\"delayMillis\":10}");
        assertThat(Json.parse(Http.get(sim.controlUrl() + "/faults").body())).hasSize(1);
        assertThat(Http.delete(sim.controlUrl() + "/faults").statusCode()).isEqualTo(204);
        assertThat(sim.faults().armed()).isEmpty();
    }

    @Test
    void unknownFaultTypeIsRejected() {
        assertThat(Http.post(sim.controlUrl() + "/faults", "{\"type\":\"GREMLINS\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void recordsCanBeCreatedUpdatedDeletedOverHttp() {
        HttpResponse<String> created = Http.post(sim.controlUrl() + "/records", "{\"v\":42}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Json.parse(created.body()).path("id").asText();
        assertThat(Http.put(sim.controlUrl() + "/records/" + id, "{\"v\":43}").body()).contains("43");
        assertThat(Http.delete(sim.controlUrl() + "/records/" + id).statusCode()).isEqualTo(204);
        assertThat(Http.delete(sim.controlUrl() + "/records/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void webhookTriggerIsPassedToThePlatform() {
        assertThat(Http.post(sim.controlUrl() + "/webhooks/trigger", "{\"topic\":\"t/x\",\"id\":\"3\"}").statusCode()).isEqualTo(202);
        assertThat(sim.triggered).contains("t/x:3");
        assertThat(Http.post(sim.controlUrl() + "/webhooks/trigger", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void infoShowsCredentialsAndUrls() {
        JsonNode info = Json.parse(Http.get(sim.controlUrl()).body());
        assertThat(info.path("platform").asText()).isEqualTo("tiny");
        assertThat(info.path("baseUrl").asText()).isEqualTo(sim.baseUrl());
        assertThat(info.path("credentials").path("token").asText()).isEqualTo("tiny-token");
    }

    @Test
    void unknownConfigKnobIsRejected() {
        assertThat(Http.post(sim.controlUrl() + "/config", "{\"nope\":1}").statusCode()).isEqualTo(400);
    }

    private static void postFault(String json) {
        assertThat(Http.post(sim.controlUrl() + "/faults", json).statusCode()).isEqualTo(200);
    }
}
