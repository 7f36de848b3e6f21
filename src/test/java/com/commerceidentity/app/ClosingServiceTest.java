package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop that waits on something says what it waits for. */
class ClosingServiceTest {

    /** Stands in for the webhook writer: its close returns only once the console has named it. */
    static final class WebhookGroupCommit implements AutoCloseable {
        final CountDownLatch named = new CountDownLatch(1);
        final ByteArrayOutputStream console;

        WebhookGroupCommit(ByteArrayOutputStream console) {
            this.console = console;
        }

        @Override
        public void close() throws InterruptedException {
            for (int i = 0; i < 500 && !console.toString(StandardCharsets.UTF_8).contains("waiting for"); i++) {
                named.await(10, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void aCloseThatTakesAWhileIsNamedOnTheConsole() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            ClosingService closing = new ClosingService(java.time.Duration.ZERO, new WebhookGroupCommit(console));
            closing.start();
            closing.stop();
        } finally {
            System.setErr(err);
        }
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("shutting down: waiting for the webhook inbox: storing the deliveries still queued");
    }
}
