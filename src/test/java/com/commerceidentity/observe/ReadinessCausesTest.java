package com.commerceidentity.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.webhook.WebhookGroupCommit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The readiness checks that need a broken database to go DOWN: each names what is wrong. */
class ReadinessCausesTest {

    /** A PostgreSQL address nothing listens on: every connection attempt is refused, as with a database down. */
    private static DataSource unreachable() throws java.io.IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/identity");
        ds.setConnectTimeout(2);
        return ds;
    }

    private static HealthCheck.Result call(HealthCheck check) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            ((org.apache.camel.CamelContextAware) check).setCamelContext(context);
            return check.call();
        }
    }

    @Test
    void anUnreachableDatabaseMakesTheServiceNotReady() throws Exception {
        DatabaseCheck check = new DatabaseCheck(unreachable(), 1);
        assertThat(check.isReadiness()).isTrue();
        HealthCheck.Result result = call(check);
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("database is unreachable")
                .contains("refused"));
    }

    @Test
    void aWebhookInboxThatCannotStoreADeliveryMakesTheServiceNotReady() throws Exception {
        WebhookGroupCommit inbox = new WebhookGroupCommit(unreachable(), 10, committed -> { });
        try {
            WebhookInboxCheck check = new WebhookInboxCheck(inbox);
            assertThat(call(check).getState()).as("nothing tried yet").isEqualTo(HealthCheck.State.UP);

            try {
                inbox.store(new WebhookGroupCommit.Row("shopify", "eu", "k1", "customers/create", Instant.now(),
                        "{}".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                // the sender is answered with an error; readiness must say so too
            }
            HealthCheck.Result result = call(check);
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("could not be stored"));

            inbox.close();
            assertThat(call(check).getMessage()).hasValue("the webhook inbox is closed");
        } finally {
            inbox.close();
        }
    }
}
