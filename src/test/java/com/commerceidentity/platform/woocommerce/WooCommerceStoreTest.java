package com.commerceidentity.platform.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.woocommerce.WooCommerceSimulator;
import com.commerceidentity.webhook.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WooCommerce store given only as {@code stores.<id>.*} keys (a site root, a consumer key and secret, a webhook
 * secret) is synced like any other: customers and staff reach the feed, a person who also shops elsewhere is one
 * identity, and its signed webhooks are applied while a tampered one is refused.
 */
class WooCommerceStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "woo-webhook-secret";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStoreDefinedByItsKeysBackfillsMergesAndAppliesSignedWebhooks() throws Exception {
        try (WooCommerceSimulator site = (WooCommerceSimulator) new WooCommerceSimulator(SandboxSettings.defaults()
                .with("customers", "25").with("staff", "3").with("woocommerce.port", "0")).start()) {
            int port;
            port = com.commerceidentity.TestPorts.free();
            Map<String, String> settings = new HashMap<>(Map.of(
                    "app.data-dir", dir.resolve("data").toString(), "app.inbox-dir", dir.resolve("inbox").toString(),
                    "camel.server.port", Integer.toString(port), "sandbox.enabled", "false",
                    "app.drop.token", "drop-token", "app.sync.run-at-start", "true"));
            settings.put("stores.wp.platform", "woocommerce");
            settings.put("stores.wp.base-url", site.baseUrl());
            settings.put("stores.wp.consumer-key", site.consumerKey());
            settings.put("stores.wp.consumer-secret", site.consumerSecret());
            settings.put("stores.wp.webhook-secret", SECRET);
            settings.put("stores.main.platform", "shopify");
            settings.put("stores.main.base-url", "http://127.0.0.1:9");
            try (EmbeddedApp app = EmbeddedApp.start(settings)) {
                Set<String> expected = new java.util.TreeSet<>();
                for (String kind : List.of(RecordControl.CUSTOMER, RecordControl.STAFF)) {
                    for (JsonNode u : site.records().list(kind)) {
                        String role = u.path("role").asText();
                        if (Set.of("customer", "administrator", "shop_manager").contains(role)) {
                            expected.add("woocommerce:wp:" + (WooCommerceMapper.STAFF_ROLES.contains(role)
                                    ? "staff" : "customer") + ":" + u.path("id").asText());
                        }
                    }
                }
                assertThat(expected).as("the site has customers and staff").anyMatch(k -> k.contains(":staff:"))
                        .anyMatch(k -> k.contains(":customer:"));
                Awaitility.await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(accountKeys(port)).containsAll(expected));

                // The same person buys on Shopify: one identity, linked by email.
                JsonNode someone = site.records().list(RecordControl.CUSTOMER).stream()
                        .filter(u -> "customer".equals(u.path("role").asText()) && !isBlocked(u.path("email").asText()))
                        .findFirst().orElseThrow(() -> new AssertionError("the site has no customer with a matchable email"));
                String email = someone.path("email").asText();
                HttpResponse<String> drop = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/drop/shopify/main")).header("Authorization", "Bearer drop-token")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "[{\"id\":77,\"email\":\"" + email + "\",\"updated_at\":\"2024-01-01T00:00:00Z\"}]"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(drop.statusCode()).as(drop.body()).isEqualTo(200);
                JsonNode identities = JSON.readTree(get(port, "/identities?email=" + email)).get("identities");
                List<String> keys = new ArrayList<>();
                identities.forEach(i -> i.get("accounts").forEach(a -> keys.add(a.get("key").asText())));
                assertThat(identities).as("one person").hasSize(1);
                assertThat(keys).contains("shopify:main:customer:77",
                        "woocommerce:wp:customer:" + someone.path("id").asText());

                // A signed customer.created is applied; the same body with one byte changed is refused.
                byte[] body = ("{\"id\":9001,\"email\":\"new.buyer@corp.io\",\"first_name\":\"New\",\"last_name\":\"Buyer\","
                        + "\"role\":\"customer\",\"date_created_gmt\":\"2026-01-02T03:04:05\","
                        + "\"date_modified_gmt\":\"2026-01-02T03:04:05\",\"billing\":{\"phone\":\"\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(webhook(port, body, sign(body)).statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(accountKeys(port)).contains("woocommerce:wp:customer:9001"));
                byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("9001", "9002")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> refused = webhook(port, tampered, sign(body));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            }
        }
    }

    private static boolean isBlocked(String email) {
        return email.matches("(?i).*(@(example\\.(com|org|net)|test\\.com|mailinator\\.com|invalid)"
                + "|^(no-?reply|do-?not-?reply|noemail|none|null|test|example|unknown)@.*)");
    }

    private static String sign(byte[] body) {
        return Base64.getEncoder().encodeToString(Signatures.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), body));
    }

    private HttpResponse<String> webhook(int port, byte[] body, String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/woocommerce/wp"))
                .header("Content-Type", "application/json").header("X-WC-Webhook-Signature", signature)
                .header("X-WC-Webhook-Topic", "customer.created").header("X-WC-Webhook-ID", "12")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private Set<String> accountKeys(int port) throws Exception {
        Set<String> keys = new java.util.HashSet<>();
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(get(port, "/feed?limit=1000&after=" + after));
            page.get("events").forEach(e -> keys.add(e.get("accountKey").asText()));
            if (!page.get("hasMore").asBoolean()) {
                return keys.stream().filter(k -> k.startsWith("woocommerce:")).collect(Collectors.toSet());
            }
            after = page.get("next").asLong();
        }
    }
}
