package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A webhook burst killed midway applies every acknowledged webhook once; served events never change.
 * See {@link CrashConsistency}.
 */
class WebhookCrashIT extends CrashConsistency {

    @Test
    void aWebhookBurstKilledMidwayAppliesEveryAcknowledgedWebhookOnce() throws Exception {
        Random random = random("webhooks");
        int webhooks = 2_000;
        String secret = "crash-webhook-secret";
        for (int trial = 1; trial <= TRIALS; trial++) {
            Path dir = Files.createDirectories(tmp.resolve("webhooks-" + trial));
            int port = AppHarness.freePort();
            List<String> settings = List.of("stores.crash-shop.platform=shopify",
                    "stores.crash-shop.base-url=http://127.0.0.1:9", "stores.crash-shop.webhook-secret=" + secret,
                    "stores.crash-shop.sync.enabled=false");
            JarProcess app = JarProcess.start(dir, port, settings);
            try (FeedTail tail = new FeedTail(port)) {
                Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
                String events = trial(trial);
                int killAt = killPoint(random, webhooks);
                ExecutorService senders = Executors.newFixedThreadPool(8);
                AtomicInteger next = new AtomicInteger();
                for (int s = 0; s < 8; s++) {
                    senders.submit(() -> sendWebhooks(port, secret, events, next::getAndIncrement, webhooks,
                            acknowledged));
                }
                awaitTrue(() -> acknowledged.size() >= killAt, "webhooks acknowledged before the kill", app);
                app.kill();
                senders.shutdown();
                assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                int ackedBeforeKill = acknowledged.size();
                System.out.printf("crash webhook trial %d: killed after %d of %d webhooks acknowledged, %d events"
                        + " served%n", trial, ackedBeforeKill, webhooks, tail.servedCount());
                JarProcess restarted = restartAfterKill(dir, port, settings);
                app = restarted;
                // The platform sends again what was never acknowledged, and nothing else.
                List<Integer> unacknowledged = new ArrayList<>();
                for (int i = 0; i < webhooks; i++) {
                    if (!acknowledged.contains(i)) {
                        unacknowledged.add(i);
                    }
                }
                AtomicInteger resend = new AtomicInteger();
                sendWebhooks(port, secret, events,
                        () -> resend.get() < unacknowledged.size() ? unacknowledged.get(resend.getAndIncrement()) : webhooks,
                        webhooks, acknowledged);
                checkAfterRestart(dir, "webhook-" + trial, () -> {
                    assertThat(acknowledged).hasSize(webhooks);
                    awaitArrivals(restarted, "shopify:crash-shop:customer:", webhooks);
                    assertConsistent(tail, restarted, dir, "shopify:crash-shop:customer:", webhooks);
                });
            } finally {
                app.close();
            }
        }
    }
}
