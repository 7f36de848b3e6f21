package com.commerceidentity.app;

import com.commerceidentity.sandbox.SandboxStores;
import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.webhook.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync backfill killed midway resumes with every account once; served events never change. See {@link CrashConsistency}. */
class SyncCrashIT extends CrashConsistency {

    @Test
    void aSyncBackfillKilledMidRunResumesWithEveryAccountOnceAndServedEventsUnchanged() throws Exception {
        Random random = random("sync");
        int customers = 12_000;
        for (int trial = 1; trial <= TRIALS; trial++) {
            Path dir = Files.createDirectories(tmp.resolve("sync-" + trial));
            int port = AppHarness.freePort();
            List<String> settings = new ArrayList<>(List.of("sandbox.enabled=true", "app.sync.enabled=true",
                    "sandbox.bigcommerce.customers=" + customers,
                    "stores.shopify-sandbox.sync.enabled=false", "stores.magento-sandbox.sync.enabled=false",
                    "stores.medusa-sandbox.sync.enabled=false"));
            com.commerceidentity.sandbox.SandboxStores.onFreePorts().forEach((k, v) -> settings.add(k + "=" + v));
            JarProcess app = JarProcess.start(dir, port, settings);
            try (FeedTail tail = new FeedTail(port)) {
                int killAt = killPoint(random, customers);
                awaitServed(tail, killAt, app);
                app.kill();
                System.out.printf("crash sync trial %d: killed after %d of %d events served%n", trial,
                        tail.servedCount(), customers);
                app = JarProcess.start(dir, port, settings);
                awaitArrivals(app, "bigcommerce:bigcommerce-sandbox:customer:", customers);
                assertConsistent(tail, app, dir, "bigcommerce:bigcommerce-sandbox:customer:", customers);
            } finally {
                app.close();
            }
        }
    }
}
