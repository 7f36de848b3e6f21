package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call the HTTP API. Without API tokens (the first run) it serves this machine only; with them, reading
 * personal data needs the read token and changing anything needs the control token. Webhooks and drops keep
 * their own credentials.
 */
class ApiAccessTest {
    private static final String READ = "read-token-2b7e9c41";
    private static final String CONTROL = "control-token-81f3d0a6";

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutApiTokens {
        AppHarness app;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            app = new AppHarness(dir, Map.of());
        }

        @AfterAll
        void stop() {
            app.close();
        }

        private RawHttp send(String method, String path, Map<String, String> headers) throws Exception {
            return RawHttp.send(app.port, method, path, headers, null);
        }

        @Test
        void answersRequestsNamingALoopbackHost() throws Exception {
            for (String host : new String[] {"127.0.0.1:" + app.port, "localhost:" + app.port, "[::1]:" + app.port,
                    "LOCALHOST"}) {
                assertThat(send("GET", "/feed", headers("Host", host)).status()).as("Host " + host).isEqualTo(200);
            }
        }

        @Test
        void refusesAnotherHostNameAsADnsRebindingPageWouldSendIt() throws Exception {
            RawHttp r = send("GET", "/identities?email=ada@example.com", headers("Host", "attacker.example:" + app.port));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            assertThat(r.body()).contains("\"status\":403").contains("not a loopback name").contains("app.api.read-token");
            assertThat(send("GET", "/stores", headers("Host", "127.0.0.1.attacker.example")).status()).isEqualTo(403);
        }

        @Test
        void refusesCrossSiteRequests() throws Exception {
            assertThat(send("GET", "/feed", headers("Origin", "http://attacker.example")).status()).isEqualTo(403);
            assertThat(send("GET", "/feed", headers("Origin", "null")).status()).isEqualTo(403);
            assertThat(send("GET", "/feed", headers("Sec-Fetch-Site", "cross-site")).status()).isEqualTo(403);
            assertThat(send("POST", "/webhook-inbox/retry", headers("Sec-Fetch-Site", "same-site")).status())
                    .isEqualTo(403);
            assertThat(send("GET", "/feed", headers("Origin", "http://127.0.0.1:" + app.port,
                    "Sec-Fetch-Site", "same-origin")).status()).as("the API's own origin").isEqualTo(200);
        }

        @Test
        void aControlEndpointTakesNoFormOrTextBody() throws Exception {
            for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "TEXT/PLAIN;charset=UTF-8"}) {
                RawHttp r = RawHttp.send(app.port, "POST", "/webhook-inbox/retry", headers("Content-Type", type), "x=1");
                assertThat(r.status()).as(type).isEqualTo(415);
                assertThat(r.body()).contains("control endpoint");
            }
            assertThat(send("POST", "/webhook-inbox/retry", headers()).status()).isEqualTo(200);
        }

        @Test
        void webhooksAndDropsAreCheckedByTheirOwnCredentialsOnly() throws Exception {
            // a platform reaches us under our public name, through a tunnel or a proxy
            RawHttp webhook = RawHttp.send(app.port, "POST", "/webhooks/shopify/nowhere",
                    headers("Host", "hooks.shop.example", "Content-Type", "application/json"), "{}");
            assertThat(webhook.status()).as("the webhook receiver answered: no such store").isEqualTo(404);
            RawHttp drop = RawHttp.send(app.port, "POST", "/drop/bigcommerce/us",
                    headers("Host", "exports.shop.example", "Authorization", "Bearer " + AppHarness.TOKEN),
                    "{\"id\":1,\"email\":\"hal@x.io\"}");
            assertThat(drop.status()).isEqualTo(200);
        }

        @Test
        void aPathTrickThroughTheWebhookPrefixIsNotExempt() throws Exception {
            assertThat(send("GET", "/webhooks/x/../../feed", headers("Host", "attacker.example")).status())
                    .isEqualTo(403);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithApiTokens {
        AppHarness app;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            app = new AppHarness(dir, Map.of("app.api.read-token", READ, "app.api.control-token", CONTROL));
        }

        @AfterAll
        void stop() {
            app.close();
        }

        private RawHttp send(String method, String path, String token) throws Exception {
            return RawHttp.send(app.port, method, path, token == null ? headers() : headers("Authorization",
                    "Bearer " + token), null);
        }

        @Test
        void readingPersonalDataNeedsAToken() throws Exception {
            for (String path : new String[] {"/feed", "/identities?email=ada@example.com", "/identities/idn_x",
                    "/stores", "/webhook-inbox", "/stores/eu/status", "/stores/eu/budget"}) {
                RawHttp r = send("GET", path, null);
                assertThat(r.status()).as(path).isEqualTo(401);
                assertThat(r.headers().get("www-authenticate")).as(path).startsWith("Bearer realm=");
                assertThat(r.body()).as(path).contains("\"status\":401");
            }
            assertThat(send("GET", "/feed", READ).status()).isEqualTo(200);
            assertThat(send("GET", "/feed", CONTROL).status()).as("control includes read").isEqualTo(200);
            RawHttp wrong = send("GET", "/feed", "guess");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.headers().get("www-authenticate")).contains("invalid_token");
        }

        @Test
        void changingAnythingNeedsTheControlToken() throws Exception {
            for (String path : new String[] {"/webhook-inbox/retry", "/stores/eu/sync/customers", "/stores/eu/check",
                    "/stores/eu/webhooks"}) {
                assertThat(send("POST", path, null).status()).as(path).isEqualTo(401);
                RawHttp read = send("POST", path, READ);
                assertThat(read.status()).as(path + " with the read token").isEqualTo(403);
                assertThat(read.headers().get("www-authenticate")).contains("insufficient_scope");
            }
            assertThat(send("POST", "/webhook-inbox/retry", CONTROL).status()).isEqualTo(200);
        }

        @Test
        void aTokenInTheQueryStringDoesNotCount() throws Exception {
            String query = java.net.URLEncoder.encode("Bearer " + READ, StandardCharsets.UTF_8);
            assertThat(send("GET", "/feed?Authorization=" + query, null).status()).isEqualTo(401);
        }

        @Test
        void withTokensAnyHostNameIsServed() throws Exception {
            RawHttp r = RawHttp.send(app.port, "GET", "/feed", headers("Host", "identity.internal.example",
                    "Authorization", "Bearer " + READ), null);
            assertThat(r.status()).isEqualTo(200);
        }

        @Test
        void webhooksAndDropsNeedNoApiToken() throws Exception {
            RawHttp webhook = RawHttp.send(app.port, "POST", "/webhooks/shopify/nowhere",
                    headers("Content-Type", "application/json"), "{}");
            assertThat(webhook.status()).as("the webhook receiver answered: no such store").isEqualTo(404);
            RawHttp drop = RawHttp.send(app.port, "POST", "/drop/bigcommerce/us",
                    headers("Authorization", "Bearer " + AppHarness.TOKEN), "{\"id\":1,\"email\":\"hal@x.io\"}");
            assertThat(drop.status()).isEqualTo(200);
            RawHttp dropWithApiToken = RawHttp.send(app.port, "POST", "/drop/bigcommerce/us",
                    headers("Authorization", "Bearer " + CONTROL), "{\"id\":1,\"email\":\"hal@x.io\"}");
            assertThat(dropWithApiToken.status()).as("the drop takes its own token only").isEqualTo(401);
        }

        @Test
        void aPathTrickThroughTheWebhookPrefixStillNeedsAToken() throws Exception {
            assertThat(send("GET", "/webhooks/x/../../feed", null).status()).isEqualTo(401);
            assertThat(send("GET", "/drop/x/%2E%2E/../feed", null).status()).isEqualTo(401);
        }
    }

    @Test
    void aServerOpenToTheNetworkWithoutApiTokensRefusesToStart(@TempDir Path dir) {
        assertThatThrownBy(() -> new AppHarness(dir, Map.of("camel.server.host", "0.0.0.0")).close())
                .hasMessageContaining("camel.server.host=0.0.0.0")
                .hasMessageContaining("app.api.read-token")
                .hasMessageContaining("APP_API_CONTROL_TOKEN");
    }
}
