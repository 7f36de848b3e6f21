package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WooCommerceAuthTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    WooCommerceSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    WooCommerceSimulator start(SandboxSettings settings) {
        sim = new WooCommerceSimulator(settings.with("woocommerce.customers", "30"), clock);
        sim.start();
        return sim;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode example(String name) {
        return Specs.json("rest-examples.json").path("errors").path(name).path("body");
    }

    @Test
    void credentialsAreDerivedFromTheSeed() {
        WooCommerceSimulator a = new WooCommerceSimulator(SandboxSettings.defaults().with("seed", "7"), clock);
        WooCommerceSimulator b = new WooCommerceSimulator(SandboxSettings.defaults().with("seed", "7"), clock);
        WooCommerceSimulator c = new WooCommerceSimulator(SandboxSettings.defaults().with("seed", "8"), clock);
        assertThat(a.consumerKey()).startsWith("ck_").hasSize(43).isEqualTo(b.consumerKey()).isNotEqualTo(c.consumerKey());
        assertThat(a.consumerSecret()).startsWith("cs_").hasSize(43).isEqualTo(b.consumerSecret());
        assertThat(a.describe().get("consumer key")).startsWith(a.consumerKey());
    }

    @Test
    void basicAuthAndQueryKeysWorkOnAnHttpsSite() {
        start(SandboxSettings.defaults());
        assertThat(Http.get(sim.apiUrl() + "/customers", "Authorization", basic(sim.consumerKey(), sim.consumerSecret())).statusCode()).isEqualTo(200);
        String keys = "consumer_key=" + sim.consumerKey() + "&consumer_secret=" + sim.consumerSecret();
        HttpResponse<String> query = Http.get(sim.apiUrl() + "/customers?" + keys + "&per_page=5");
        assertThat(query.statusCode()).isEqualTo(200);
        // WooCommerce echoes every query parameter, the credentials included, into the paging links
        assertThat(query.headers().firstValue("Link").orElseThrow()).contains(keys);
    }

    @Test
    void missingOrUnknownCredentialsAreTheCustomersEndpointsOwn401() {
        start(SandboxSettings.defaults());
        HttpResponse<String> none = Http.get(sim.apiUrl() + "/customers");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Json.parse(none.body())).isEqualTo(example("unauthenticated_list"));
        HttpResponse<String> unknown = Http.get(sim.apiUrl() + "/customers", "Authorization", basic("ck_unknown", sim.consumerSecret()));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Json.parse(unknown.body())).isEqualTo(example("unauthenticated_list"));
        // validation runs before the permission check, as in WordPress
        assertThat(Json.parse(Http.get(sim.apiUrl() + "/customers?per_page=500").body()).path("code").asText()).isEqualTo("rest_invalid_param");
    }

    @Test
    void wrongSecretIsAnAuthenticationError() {
        start(SandboxSettings.defaults());
        HttpResponse<String> wrong = Http.get(sim.apiUrl() + "/customers", "Authorization", basic(sim.consumerKey(), "cs_wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body())).isEqualTo(example("wrong_consumer_secret"));
        // authenticate() always tries OAuth after Basic fails, which leaves auth_method = 'oauth1', so
        // send_unauthorized_headers() does not add the Basic challenge the derived example lists
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> wrongQuery = Http.get(sim.apiUrl() + "/customers?consumer_key=" + sim.consumerKey() + "&consumer_secret=nope");
        assertThat(Json.parse(wrongQuery.body()).path("message").asText()).isEqualTo("Consumer secret is invalid.");
    }

    @Test
    void plainHttpSiteIgnoresBasicAndQueryKeys() {
        start(SandboxSettings.defaults().with("woocommerce.https", "false"));
        HttpResponse<String> basic = Http.get(sim.apiUrl() + "/customers", "Authorization", basic(sim.consumerKey(), sim.consumerSecret()));
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(Json.parse(basic.body())).isEqualTo(example("unauthenticated_list"));
        HttpResponse<String> query = Http.get(sim.apiUrl() + "/customers?consumer_key=" + sim.consumerKey() + "&consumer_secret=" + sim.consumerSecret());
        assertThat(query.statusCode()).isEqualTo(401);
    }

    @Test
    void oauthVectorAuthenticatesOverPlainHttpAndItsNonceCannotBeReplayed() {
        JsonNode v = Specs.json("oauth1-one-legged-vector.json").path("vector");
        clock.set(Instant.ofEpochSecond(v.path("timestamp").asLong()));
        start(SandboxSettings.defaults().with("woocommerce.https", "false")
                .with("woocommerce.homeUrl", "http://shop.example.com")
                .with("woocommerce.consumerKey", v.path("consumer_key").asText())
                .with("woocommerce.consumerSecret", v.path("consumer_secret").asText()));
        URI url = URI.create(v.path("url").asText());
        String local = sim.baseUrl() + url.getRawPath() + "?" + url.getRawQuery();
        HttpResponse<String> header = Http.get(local, "Authorization", v.path("authorization_header").asText());
        assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
        URI queryVariant = URI.create(v.path("query_string_variant_url").asText());
        HttpResponse<String> replay = Http.get(sim.baseUrl() + queryVariant.getRawPath() + "?" + queryVariant.getRawQuery());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(Json.parse(replay.body()).path("message").asText()).isEqualTo("Invalid nonce - nonce has already been used.");
    }

    @Test
    void oauthVectorQueryPlacementAuthenticatesToo() {
        JsonNode v = Specs.json("oauth1-one-legged-vector.json").path("vector");
        clock.set(Instant.ofEpochSecond(v.path("timestamp").asLong()).plusSeconds(14 * 60));
        start(SandboxSettings.defaults().with("woocommerce.https", "false")
                .with("woocommerce.homeUrl", "http://shop.example.com")
                .with("woocommerce.consumerKey", v.path("consumer_key").asText())
                .with("woocommerce.consumerSecret", v.path("consumer_secret").asText()));
        URI url = URI.create(v.path("query_string_variant_url").asText());
        String local = sim.baseUrl() + url.getRawPath() + "?" + url.getRawQuery();
        assertThat(Http.get(local).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        // the timestamp is checked before the nonce, so the replay is refused for its age
        HttpResponse<String> stale = Http.get(local);
        assertThat(Json.parse(stale.body()).path("message").asText()).isEqualTo("Invalid timestamp.");
    }

    @Test
    void oauthBaseStringAndSignatureReproduceTheVector() {
        JsonNode v = Specs.json("oauth1-one-legged-vector.json").path("vector");
        Map<String, Object> params = new LinkedHashMap<>();
        URI url = URI.create(v.path("url").asText());
        for (String pair : url.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], kv[1]);
        }
        params.put("oauth_consumer_key", v.path("consumer_key").asText());
        params.put("oauth_nonce", v.path("nonce").asText());
        params.put("oauth_signature_method", "HMAC-SHA256");
        params.put("oauth_timestamp", v.path("timestamp").asText());
        String base = OAuth1.baseString("GET", "http://shop.example.com" + url.getRawPath(), params);
        assertThat(base).isEqualTo(v.path("base_string").asText());
        assertThat(OAuth1.sign("HMAC-SHA256", base, v.path("consumer_secret").asText())).isEqualTo(v.path("signature").asText());
        assertThat(OAuth1.sign("PLAINTEXT", base, "x")).isNull();
    }

    @Test
    void oauthFailuresNameTheirCause() {
        start(SandboxSettings.defaults().with("woocommerce.https", "false"));
        String tampered = "OAuth oauth_consumer_key=\"" + sim.consumerKey() + "\", oauth_nonce=\"n1\", oauth_signature_method=\"HMAC-SHA256\", oauth_timestamp=\""
                + clock.instant().getEpochSecond() + "\", oauth_signature=\"AAAA\"";
        assertThat(Json.parse(Http.get(sim.apiUrl() + "/customers", "Authorization", tampered).body()).path("message").asText())
                .isEqualTo("Invalid signature - provided signature does not match.");
        HttpResponse<String> partial = Http.get(sim.apiUrl() + "/customers?oauth_consumer_key=" + sim.consumerKey());
        assertThat(partial.statusCode()).isEqualTo(401);
        assertThat(Json.parse(partial.body()).path("code").asText()).isEqualTo("woocommerce_rest_authentication_missing_parameter");
        assertThat(Json.parse(partial.body()).path("message").asText())
                .isEqualTo("Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method");
        String unknownKey = tampered.replace(sim.consumerKey(), "ck_nobody");
        assertThat(Json.parse(Http.get(sim.apiUrl() + "/customers", "Authorization", unknownKey).body()).path("message").asText())
                .isEqualTo("Consumer key is invalid.");
    }

    @Test
    void readOnlyKeyCannotWriteAndACustomersKeyIsForbidden() {
        start(SandboxSettings.defaults().with("woocommerce.keyPermissions", "read"));
        String auth = basic(sim.consumerKey(), sim.consumerSecret());
        assertThat(Http.get(sim.apiUrl() + "/customers", "Authorization", auth).statusCode()).isEqualTo(200);
        HttpResponse<String> write = Http.delete(sim.apiUrl() + "/customers/5?force=true", "Authorization", auth);
        assertThat(write.statusCode()).isEqualTo(401);
        assertThat(Json.parse(write.body())).isEqualTo(example("read_only_key_on_write"));

        int customerId = sim.store.all(u -> u.roles.equals(java.util.List.of("customer"))).get(0).id;
        sim.configure(Json.parse("{\"keyUserId\":" + customerId + ",\"keyPermissions\":\"read_write\"}"));
        HttpResponse<String> forbidden = Http.get(sim.apiUrl() + "/customers", "Authorization", auth);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(Json.parse(forbidden.body())).isEqualTo(example("authenticated_without_list_users"));
    }

    @Test
    void deletingTheKeysOwnerRevokesTheKey() {
        start(SandboxSettings.defaults());
        String auth = basic(sim.consumerKey(), sim.consumerSecret());
        assertThat(sim.records().delete("staff", "1")).isTrue();
        HttpResponse<String> revoked = Http.get(sim.apiUrl() + "/customers", "Authorization", auth);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(Json.parse(revoked.body())).isEqualTo(example("unauthenticated_list"));
    }
}
