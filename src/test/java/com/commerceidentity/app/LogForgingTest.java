package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a caller puts in a URL, every line of the log is one the app wrote. */
class LogForgingTest {

    @Test
    void aLineBreakInAStoreIdDoesNotStartALineOfItsOwn(@TempDir Path dir) throws Exception {
        String forged = "2026-12-02T12:00:00.000+0000 [main] INFO WebhookReceiver - all webhooks verified";
        String path = "%0D%0A" + forged.replace(" ", "%20");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String logged;
        try (AppHarness app = new AppHarness(dir, Map.of())) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                assertThat(RawHttp.send(app.port, "POST", "/webhooks/shopify/eu" + path, Map.of("Content-Type",
                        "application/json"), "{}").status()).isEqualTo(404);
                assertThat(RawHttp.send(app.port, "GET", "/stores/eu" + path + "/budget", Map.of(), null).status())
                        .isEqualTo(404);
            } finally {
                System.setErr(err);
            }
            logged = log.toString(StandardCharsets.UTF_8);
        }
        err.print(logged);
        assertThat(logged).as("the requests were logged").contains("eu\\r\\n2026-12-02T12:00:00.000+0000");
        assertThat(logged.lines()).noneMatch(line -> line.startsWith(forged));
    }
}
