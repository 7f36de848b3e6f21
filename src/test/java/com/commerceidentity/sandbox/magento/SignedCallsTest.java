package com.commerceidentity.sandbox.magento;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The simulator tests' own signer reproduces the facts file's vectors, so what it signs is what Magento accepts. */
class SignedCallsTest {

    @Test
    void theTestSignerReproducesEveryVector() {
        JsonNode vectors = SharedSpecs.json("magento/oauth1-facts.json").at("/test_vectors/vectors");
        assertThat(vectors.size()).isGreaterThanOrEqualTo(2);
        for (JsonNode v : vectors) {
            SignedCalls.Keys keys = new SignedCalls.Keys(v.get("consumer_key").asText(), v.get("consumer_secret").asText(),
                    v.get("access_token").asText(), v.get("access_token_secret").asText());
            Map<String, String> oauth = new TreeMap<>(Map.of("oauth_consumer_key", keys.consumerKey(),
                    "oauth_nonce", v.get("nonce").asText(), "oauth_signature_method", "HMAC-SHA256",
                    "oauth_timestamp", v.get("timestamp").asText(), "oauth_token", keys.accessToken(), "oauth_version", "1.0"));
            assertThat(SignedCalls.baseString(v.get("method").asText(), v.get("url").asText(), oauth))
                    .isEqualTo(v.get("base_string").asText());
            String header = SignedCalls.authorization(keys, v.get("method").asText(), v.get("url").asText(),
                    v.get("nonce").asText(), v.get("timestamp").asText(), "HMAC-SHA256");
            assertThat(OAuthRequests.headerParams(header)).containsEntry("oauth_signature", v.get("signature").asText());
            // the vector's own header, read the way Magento reads it (realm ignored)
            assertThat(OAuthRequests.headerParams(v.get("authorization_header").asText()))
                    .containsEntry("oauth_signature", v.get("signature").asText())
                    .doesNotContainKey("realm");
        }
    }
}
