package com.commerceidentity.sandbox.magento;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.MutableClock;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Out of the box the Magento simulator is a stock 2.4.8 store (oauth1-facts.json, rest-facts.json): only OAuth 1.0a
 * integration calls get in, integration tokens are no Bearer tokens, 2FA blocks the admin token, and there is no
 * {@code /V1/users}.
 */
class MagentoStockAuthTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-03T00:00:00Z"));
    static MagentoSimulator sim;

    @BeforeAll
    static void start() {
        sim = new MagentoSimulator(SandboxSettings.defaults().with("seed", "5").with("magento.customers", "12"), CLOCK);
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void stock() {
        sim.configure(Json.parse("{\"twoFactorAuth\":true,\"integrationAsBearer\":false,\"adminUsersEndpoint\":false}"));
    }

    static String url(String pathAndQuery) {
        return sim.baseUrl() + pathAndQuery;
    }

    static final String SEARCH = "/rest/all/V1/customers/search?searchCriteria%5BpageSize%5D=5&searchCriteria%5BcurrentPage%5D=1";

    static String now() {
        return Long.toString(CLOCK.instant().getEpochSecond());
    }

    static HttpResponse<String> signed(String pathAndQuery, String nonce, String timestamp) {
        return Http.get(url(pathAndQuery), "Authorization", SignedCalls.authorization(SignedCalls.Keys.of(sim), "GET",
                url(pathAndQuery), nonce, timestamp, "HMAC-SHA256"));
    }

    /** Signed now by the simulator's clock, with a fresh nonce. */
    static String header(String url) {
        return SignedCalls.authorization(SignedCalls.Keys.of(sim), "GET", url, SignedCalls.freshNonce(), now(), "HMAC-SHA256");
    }

    static JsonNode body(HttpResponse<String> r) {
        return Json.parse(r.body());
    }

    @Test
    void theDefaultsAreAStockStore() {
        JsonNode config = sim.config();
        assertThat(config.get("twoFactorAuth").asBoolean()).isTrue();
        assertThat(config.get("integrationAsBearer").asBoolean()).isFalse();
        assertThat(config.get("adminUsersEndpoint").asBoolean()).isFalse();
        assertThat(config.get("consumerKey").asText()).matches("[0-9a-z]{32}");
        assertThat(config.get("accessToken").asText()).matches("[0-9a-z]{32}");
        assertThat(sim.storeSettings()).containsKeys("consumer-key", "consumer-secret", "access-token", "access-token-secret");
    }

    @Test
    void aSignedIntegrationCallIsServed() {
        HttpResponse<String> r = signed(SEARCH, SignedCalls.freshNonce(), now());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(body(r).get("total_count").asInt()).isEqualTo(12);
    }

    @Test
    void theAdminTokenIsRefusedWhile2faIsOnAfterTheCredentialsAreChecked() {
        HttpResponse<String> r = Http.post(url("/rest/V1/integration/admin/token"), "{\"username\":\"admin\",\"password\":\"sandbox123\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body(r).get("message").asText()).isEqualTo("Please use the 2fa provider-specific endpoints to obtain a token.");
        assertThat(body(r).at("/parameters/active_providers/0").asText()).isEqualTo("google");
        HttpResponse<String> wrong = Http.post(url("/rest/V1/integration/admin/token"), "{\"username\":\"admin\",\"password\":\"nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);

        sim.configure(Json.parse("{\"twoFactorAuth\":false}"));
        HttpResponse<String> issued = Http.post(url("/rest/V1/integration/admin/token"), "{\"username\":\"admin\",\"password\":\"sandbox123\"}");
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(Http.get(url(SEARCH), "Authorization", "Bearer " + body(issued).asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void theIntegrationAccessTokenIsNoBearerTokenUnlessTheConfigFlagIsOn() {
        HttpResponse<String> r = Http.get(url(SEARCH), "Authorization", "Bearer " + sim.config.accessToken);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(body(r).get("message").asText()).isEqualTo("The consumer isn't authorized to access %resources.");
        assertThat(body(r).at("/parameters/resources").asText()).isEqualTo("Magento_Customer::customer");

        sim.configure(Json.parse("{\"integrationAsBearer\":true}"));
        assertThat(Http.get(url(SEARCH), "Authorization", "Bearer " + sim.config.accessToken).statusCode()).isEqualTo(200);
    }

    @Test
    void thereIsNoAdminUserListOnAStockStore() {
        HttpResponse<String> r = signed("/rest/all/V1/users", SignedCalls.freshNonce(), now());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(body(r).get("message").asText()).isEqualTo("Request does not match any route.");
        sim.configure(Json.parse("{\"adminUsersEndpoint\":true}"));
        assertThat(signed("/rest/all/V1/users", SignedCalls.freshNonce(), now()).statusCode()).isEqualTo(200);
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String header = SignedCalls.authorization(SignedCalls.Keys.of(sim), "GET", url(SEARCH), SignedCalls.freshNonce(), now(), "HMAC-SHA256");
        // the query changed after signing
        HttpResponse<String> r = Http.get(url(SEARCH.replace("pageSize%5D=5", "pageSize%5D=6")), "Authorization", header);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(body(r).get("message").asText()).isEqualTo("The signature is invalid. Verify and try again.");
        // signed with the wrong secret
        SignedCalls.Keys k = SignedCalls.Keys.of(sim);
        SignedCalls.Keys wrong = new SignedCalls.Keys(k.consumerKey(), otherFirstChar(k.consumerSecret()), k.accessToken(), k.accessTokenSecret());
        HttpResponse<String> w = Http.get(url(SEARCH), "Authorization", SignedCalls.authorization(wrong, "GET", url(SEARCH), SignedCalls.freshNonce(), now(), "HMAC-SHA256"));
        assertThat(w.statusCode()).isEqualTo(401);
        assertThat(body(w).get("message").asText()).isEqualTo("The signature is invalid. Verify and try again.");
    }

    /** The secret with its first character changed (secrets are random: one that starts with 'x' stays 'x'+...). */
    static String otherFirstChar(String secret) {
        return (secret.charAt(0) == 'x' ? "y" : "x") + secret.substring(1);
    }

    @Test
    void aReplayedNonceIsRefused() {
        String nonce = SignedCalls.freshNonce();
        assertThat(signed(SEARCH, nonce, now()).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = signed(SEARCH, nonce, now());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(body(replay).get("message").asText()).isEqualTo("The nonce is already being used by the consumer with ID %1");
        assertThat(body(replay).at("/parameters/0").asText()).isEqualTo("1");
    }

    @Test
    void aTimestampMoreThanTenMinutesAheadIsRefusedButAnOldOneIsNot() {
        String ahead = Long.toString(CLOCK.instant().plus(Duration.ofSeconds(601)).getEpochSecond());
        HttpResponse<String> r = signed(SEARCH, SignedCalls.freshNonce(), ahead);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(body(r).get("message").asText()).isEqualTo("An error occurred validating the nonce");
        String edge = Long.toString(CLOCK.instant().plus(Duration.ofSeconds(600)).getEpochSecond());
        assertThat(signed(SEARCH, SignedCalls.freshNonce(), edge).statusCode()).isEqualTo(200);
        // Magento has no lower bound: a day-old timestamp with a fresh nonce passes (facts: replay_protection)
        String dayOld = Long.toString(CLOCK.instant().minus(Duration.ofDays(1)).getEpochSecond());
        assertThat(signed(SEARCH, SignedCalls.freshNonce(), dayOld).statusCode()).isEqualTo(200);
        assertThat(signed(SEARCH, SignedCalls.freshNonce(), "not-a-number").statusCode()).isEqualTo(401);
    }

    @Test
    void hmacSha1IsRefusedAs2_4_4Does() {
        HttpResponse<String> r = Http.get(url(SEARCH), "Authorization", SignedCalls.authorization(SignedCalls.Keys.of(sim),
                "GET", url(SEARCH), SignedCalls.freshNonce(), now(), "HMAC-SHA1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body(r).get("message").asText()).isEqualTo("Signature method %1 is not supported");
        assertThat(body(r).at("/parameters/0").asText()).isEqualTo("HMAC-SHA1");
    }

    @Test
    void oauthParametersInTheQueryAreNotReadAndAPlusIsSignedAsAPlus() {
        String signedUrl = url(SEARCH + "&searchCriteria%5BsortOrders%5D%5B0%5D%5Bfield%5D=a+b");
        // signed as Magento reads it: the '+' is kept, not a space
        HttpResponse<String> plus = Http.get(signedUrl, "Authorization", header(signedUrl));
        assertThat(plus.statusCode()).isNotIn(401, 403);
        // a client that signed a space for the '+' is refused
        String spaceSigned = header(signedUrl.replace("a+b", "a%20b"));
        assertThat(Http.get(signedUrl, "Authorization", spaceSigned).statusCode()).isEqualTo(401);
        // no header: a guest call, whatever the query carries
        HttpResponse<String> guest = Http.get(url(SEARCH + "&oauth_consumer_key=" + sim.config.consumerKey));
        assertThat(guest.statusCode()).isEqualTo(401);
        assertThat(body(guest).get("message").asText()).isEqualTo("The consumer isn't authorized to access %resources.");
    }
}
