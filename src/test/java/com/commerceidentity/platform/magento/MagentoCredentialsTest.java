package com.commerceidentity.platform.magento;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.Platform;
import com.commerceidentity.platform.Credentials;
import com.commerceidentity.store.StoreConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** Which way a Magento store signs in, chosen from its keys, and the errors that name a missing one. */
class MagentoCredentialsTest {
    static final Credentials CREDENTIALS = new MagentoModule().credentials();
    static final String BASE = "https://shop.example.com/rest/all";
    static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    static StoreConfig store(String token, String username, Map<String, String> settings) {
        return new StoreConfig("eu-magento", Platform.of("magento"), BASE, token, username, username == null ? null : "pw",
                null, null, false, settings);
    }

    static Map<String, String> integration() {
        Map<String, String> s = new HashMap<>();
        s.put("consumer-key", "k3v9q0x7b2m5n8c4z6l1j3h5g7f9d2sa");
        s.put("consumer-secret", "s8d7f6g5h4j3k2l1q9w8e7r6t5y4u3i2");
        s.put("access-token", "t1o2k3e4n5a6b7c8d9e0f1g2h3i4j5k6");
        s.put("access-token-secret", "x9y8z7w6v5u4t3s2r1q0p9o8n7m6l5k4");
        return s;
    }

    static String authorization(StoreConfig store, String path, String query) {
        Message m = new DefaultMessage(CONTEXT);
        m.setHeader(Exchange.HTTP_METHOD, "GET");
        m.setHeader(Exchange.HTTP_QUERY, query);
        CREDENTIALS.apply(store, path, m, () -> "admin-session-token");
        return m.getHeader("Authorization", String.class);
    }

    @Test
    void aStoreWithAConsumerKeySignsEveryRequestWithOAuth1OverItsFullUrl() {
        StoreConfig s = store("legacy-token", "admin", integration());
        String header = authorization(s, "/V1/customers/search", "searchCriteria%5BpageSize%5D=100");
        assertThat(header).startsWith("OAuth ").contains("oauth_signature_method=\"HMAC-SHA256\"")
                .contains("oauth_consumer_key=\"k3v9q0x7b2m5n8c4z6l1j3h5g7f9d2sa\"")
                .contains("oauth_token=\"t1o2k3e4n5a6b7c8d9e0f1g2h3i4j5k6\"").doesNotContain("s8d7f6g5h4j3k2l1q9w8e7r6t5y4u3i2");
        Map<String, String> params = MagentoOAuth1Test.oauthParams(header);
        assertThat(params.get("oauth_nonce")).hasSize(32);
        MagentoOAuth1.Signed again = MagentoOAuth1.sign(MagentoModule.oauthKeys(s), "GET",
                BASE + "/V1/customers/search?searchCriteria%5BpageSize%5D=100", params.get("oauth_nonce"), params.get("oauth_timestamp"));
        assertThat(params.get("oauth_signature")).as("signed over base-url + path + query").isEqualTo(again.signature());
        assertThat(CREDENTIALS.signsIn(s)).isFalse();
    }

    @Test
    void everyMissingIntegrationKeyIsNamedWithItsEnvironmentVariable() {
        for (String key : new String[] {"consumer-secret", "access-token", "access-token-secret"}) {
            Map<String, String> settings = integration();
            settings.remove(key);
            String env = "STORES_EU_MAGENTO_" + key.toUpperCase().replace('-', '_');
            assertThatThrownBy(() -> authorization(store(null, null, settings), "/V1/customers/search", null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stores.eu-magento." + key + " is not set").hasMessageContaining(env);
        }
        assertThatThrownBy(() -> authorization(store(null, null, Map.of()), "/V1/customers/search", null))
                .as("a store with no credentials at all is pointed at the default way")
                .hasMessageContaining("stores.eu-magento.consumer-key is not set");
    }

    @Test
    void theOlderWaysStaySelectable() {
        assertThat(authorization(store("integration-token", null, Map.of()), "/V1/customers/1", null))
                .isEqualTo("Bearer integration-token");
        StoreConfig admin = store(null, "admin", Map.of());
        assertThat(CREDENTIALS.signsIn(admin)).isTrue();
        assertThat(authorization(admin, "/V1/customers/1", null)).isEqualTo("Bearer admin-session-token");
        assertThat(CREDENTIALS.signIn(admin).path()).isEqualTo("/V1/integration/admin/token");
        // chosen explicitly over the keys present
        Map<String, String> bearer = integration();
        bearer.put("auth", "bearer");
        assertThat(authorization(store("integration-token", null, bearer), "/V1/customers/1", null)).startsWith("Bearer ");
        Map<String, String> login = integration();
        login.put("auth", "admin-token");
        assertThat(CREDENTIALS.signsIn(store(null, "admin", login))).isTrue();
        Map<String, String> old = new HashMap<>(Map.of("auth", "password"));
        assertThat(CREDENTIALS.signsIn(store("t", "admin", old))).as("the setting's old name").isTrue();
        assertThatThrownBy(() -> authorization(store(null, null, Map.of("auth", "oauth2")), "/V1/customers/1", null))
                .hasMessageContaining("stores.eu-magento.auth = oauth2 is not one of oauth1, bearer, admin-token");
        assertThatThrownBy(() -> authorization(store(null, null, Map.of("auth", "bearer")), "/V1/customers/1", null))
                .hasMessageContaining("stores.eu-magento.token is not set");
    }

    @Test
    void a2faRefusalOfTheAdminTokenPointsAtTheIntegration() {
        assertThat(CREDENTIALS.signInRefused(store(null, "admin", Map.of()), 400))
                .contains("two-factor auth").contains("stores.eu-magento.auth = oauth1");
        assertThat(CREDENTIALS.signInRefused(store(null, "admin", Map.of()), 401)).contains("username and .password");
    }
}
