package com.commerceidentity.app;

import com.commerceidentity.sandbox.SandboxStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A sync backfill killed midway resumes with every account once; served events never change.
 * See {@link CrashConsistency}.
 */
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
            SandboxStores.onFreePorts().forEach((k, v) -> settings.add(k + "=" + v));
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
