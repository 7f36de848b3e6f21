package com.commerceidentity.sandbox.medusa;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.Http;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The login /_sandbox publishes is one that signs in: what a person reads there works as written. */
class MedusaPublishedLoginTest {

    @Test
    void theLoginSandboxPublishesSignsIn() {
        MedusaSimulator sim = new MedusaSimulator(SandboxSettings.defaults().with("medusa.staff", "3"));
        // As SandboxStores serves a sandbox store: its username is the simulator's sandbox username.
        sim.serveStore(new Simulator.StoreCredentials(null, sim.sandboxUsername(), "pw_published", "sk_published",
                "whs_published", null), "");
        sim.start();
        try {
            JsonNode published = Json.parse(Http.get(sim.controlUrl()).body());
            String login = published.at("/credentials/login").asText();
            assertThat(login).startsWith("POST " + sim.baseUrl() + "/auth/user/emailpass ");
            String url = login.substring("POST ".length(), login.indexOf(' ', "POST ".length()));
            String body = login.substring(login.indexOf('{'));
            assertThat(Json.parse(body).get("email").asText()).isEqualTo("admin@sandbox.test");

            HttpResponse<String> signIn = Http.post(url, body);
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
            String token = Json.parse(signIn.body()).get("token").asText();
            HttpResponse<String> users = Http.get(sim.baseUrl() + "/admin/users", "Authorization", "Bearer " + token);
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(users.body()).contains("admin@sandbox.test").doesNotContain("admin@medusa-test.com");
        } finally {
            sim.close();
        }
    }
}
