package com.commerceidentity.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store call carries the store's own credentials and nothing of the caller's: {@code POST /stores/{id}/sync/...}
 * arrives with the operator's API token in {@code Authorization}, and the exchange it starts makes the store calls.
 * A platform that signs with another header (BigCommerce's {@code X-Auth-Token}) must still never see that token.
 */
class CallerCredentialsTest {
    @TempDir
    static Path dir;
    static HttpServer store;
    static final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    static StoreCallHarness stores;

    @BeforeAll
    static void start() throws Exception {
        store = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        store.createContext("/", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT), v));
            byte[] body = "{\"data\":[],\"meta\":{\"pagination\":{\"total\":0}}}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        store.start();
        stores = new StoreCallHarness(dir, Map.of(
                "stores.probe.platform", "bigcommerce",
                "stores.probe.base-url", "http://127.0.0.1:" + store.getAddress().getPort() + "/stores/probe",
                "stores.probe.token", "the-stores-own-token",
                "stores.probe.sync.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        stores.close();
        store.stop(0);
    }

    @Test
    void theCallersAuthorizationHeaderNeverReachesAStoreThatSignsWithAnotherHeader() {
        Exchange answer = stores.producer.request("direct:store-call", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, "probe");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, "/v3/customers");
            ex.getMessage().setHeader("Authorization", "Bearer operators-control-token");
        });

        assertThat(StoreCallHarness.status(answer)).isEqualTo(200);
        assertThat(seen.get("x-auth-token")).containsExactly("the-stores-own-token");
        assertThat(seen).doesNotContainKey("authorization");
    }
}
