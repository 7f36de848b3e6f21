package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.webhook.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signed Shopify {@code customers/update} webhooks posted to the running app on loopback by an in-process load
 * generator (a fixed number of concurrent senders, each on one kept-alive connection, see {@link KeepAliveSender}): sustained rate, acknowledge latency p50/p99, and the time
 * from sending to the event's account appearing in the feed (p50/p99). Then a burst of BigCommerce thin events
 * and the follow-up requests it caused at the store.
 *
 * <pre>java -cp target/commerce-identity-feed.jar com.commerceidentity.bench.WebhookBenchmark 40000 64 20000</pre>
 * (measured webhooks, concurrent senders, webhooks sent first to warm up and left out of the figures);
 * {@code -Dbench.timeline=true} also prints the event-to-feed latency per second of sending, warm-up included.
 */
public final class WebhookBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        // Sent first and left out of the figures: the JIT compiles the hot paths during the first seconds, when
        // the rate is a third of the steady one and events reach the feed up to a second late.
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int total = warmup + n;
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path work = BenchDir.temporary("cif-webhook-bench");
        Map<String, String> settings = new HashMap<>();
        settings.put("app.data-dir", work.resolve("data").toString());
        settings.put("app.inbox-dir", work.resolve("inbox").toString());
        settings.put("camel.server.port", Integer.toString(port));
        settings.put("sandbox.enabled", "true");
        settings.put("sandbox.customers", "1000");
        settings.put("app.sync.enabled", "false");
        settings.put("app.webhooks.public-url", "http://127.0.0.1:" + port);
        settings.putAll(SandboxStores.onFreePorts());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4, daemon("bench-client-"))).connectTimeout(Duration.ofSeconds(5)).build();
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            StoreRegistry stores = app.bean("storeRegistry", StoreRegistry.class);
            StoreConfig shop = stores.get("shopify-sandbox").orElseThrow();
            byte[] key = shop.webhookSecret().getBytes(StandardCharsets.UTF_8);
            URI shopUrl = URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/shopify-sandbox");

            // Signed and encoded up front, so the generator's share of the 2 cores is sending, not hashing.
            byte[][] requests = new byte[total][];
            String[] accountKeys = new String[total];
            for (int i = 0; i < total; i++) {
                String id = Long.toString(9_007_199_254_740_993L + i);
                byte[] body = ("{\"id\":" + id + ",\"email\":\"bench" + i + "@example.org\",\"first_name\":\"B\","
                        + "\"last_name\":\"N" + i + "\",\"state\":\"enabled\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                        + "\"created_at\":\"2025-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                String hmac = Base64.getEncoder().encodeToString(Signatures.hmacSha256(key, body));
                requests[i] = KeepAliveSender.post(shopUrl.getPath(), port, new String[][] {
                        {"Content-Type", "application/json"}, {"X-Shopify-Hmac-Sha256", hmac},
                        {"X-Shopify-Topic", "customers/update"}, {"X-Shopify-Event-Id", "bench-" + i}}, body);
                accountKeys[i] = "shopify:shopify-sandbox:customer:" + id;
            }

            long[] sentAt = new long[total];
            long[] ackedAt = new long[total];
            AtomicInteger next = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            AtomicLong cpuAtMeasure = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(senders, daemon("bench-sender-"));
            CountDownLatch done = new CountDownLatch(senders);
            for (int t = 0; t < senders; t++) {
                pool.submit(() -> {
                    try (KeepAliveSender connection = new KeepAliveSender(port)) {
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            if (i == warmup) {
                                cpuAtMeasure.set(ProcessCpu.nanos());
                            }
                            sentAt[i] = System.nanoTime();
                            int status = connection.exchange(requests[i]);
                            ackedAt[i] = System.nanoTime();
                            if (status != 200 && i >= warmup) {
                                failures.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            // Meanwhile, follow the feed and note when each account first appears: over a kept-alive connection,
            // picking out only the fields needed, so the follower takes little of the 2 cores it shares.
            Map<String, Long> seenAt = new HashMap<>();
            long after = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            try (KeepAliveSender follower = new KeepAliveSender(port)) {
                java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream(1 << 20);
                while (seenAt.size() < total && System.nanoTime() < deadline) {
                    page.reset();
                    follower.exchange(KeepAliveSender.get("/feed?after=" + after + "&limit=1000", port), page);
                    long now = System.nanoTime();
                    FeedPage read = FeedPage.read(page.toByteArray(), after);
                    for (String accountKey : read.accountKeys()) {
                        seenAt.putIfAbsent(accountKey, now);
                    }
                    after = read.next();
                    if (read.accountKeys().isEmpty()) {
                        Thread.sleep(20);
                    }
                }
            }
            done.await();
            long cpuAfter = ProcessCpu.nanos();
            pool.shutdown();
            long started = Long.MAX_VALUE;
            long lastAck = 0;
            List<Long> ack = new ArrayList<>(n);
            List<Long> toFeed = new ArrayList<>(n);
            for (int i = warmup; i < total; i++) {
                started = Math.min(started, sentAt[i]);
                lastAck = Math.max(lastAck, ackedAt[i]);
                ack.add(ackedAt[i] - sentAt[i]);
                Long seen = seenAt.get(accountKeys[i]);
                if (seen != null) {
                    toFeed.add(seen - sentAt[i]);
                }
            }
            double wallSeconds = (lastAck - started) / 1e9;
            double appCpuMillis = (cpuAfter - cpuAtMeasure.get()) / 1e6;
            Collections.sort(ack);
            Collections.sort(toFeed);

            // A burst of BigCommerce thin events for existing customers: how many follow-ups reach the store?
            Simulator bc = app.bean("sandboxStores", SandboxStores.class).simulator("bigcommerce-sandbox");
            StoreConfig bcStore = stores.get("bigcommerce-sandbox").orElseThrow();
            List<JsonNode> customers = bc.records().list(RecordControl.CUSTOMER);
            long before = bc.counters().total();
            URI bcUrl = URI.create("http://127.0.0.1:" + port + "/webhooks/bigcommerce/bigcommerce-sandbox");
            int burst = Math.min(1000, customers.size());
            long burstStart = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                String body = "{\"scope\":\"store/customer/updated\",\"store_id\":\"1\",\"data\":{\"type\":\"customer\",\"id\":"
                        + customers.get(i).path("id").asText() + "},\"hash\":\"h" + i + "\",\"created_at\":" + (1_700_000_000 + i)
                        + ",\"producer\":\"stores/abc123\"}";
                http.send(HttpRequest.newBuilder(bcUrl).header("Content-Type", "application/json")
                        .header("X-Webhook-Secret", bcStore.webhookSecret())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            }
            double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
            Thread.sleep(3000); // let the inbox drain
            long followUps = bc.counters().total() - before;

            System.out.println();
            System.out.printf("verified Shopify webhooks: %d measured after %d to warm up, sent by %d senders, %d failed%n",
                    n, warmup, senders, failures.get());
            System.out.printf("  sustained rate            %,.0f webhooks/s%n", n / wallSeconds);
            System.out.printf("  acknowledge latency       p50 %.1f ms, p99 %.1f ms%n", pct(ack, 50), pct(ack, 99));
            System.out.printf("  event-to-feed latency     p50 %.0f ms, p99 %.0f ms (%d of %d seen)%n", pct(toFeed, 50),
                    pct(toFeed, 99), toFeed.size(), n);
            System.out.printf("  CPU (2 cores shared)      whole process %.1f s over %.1f s of measured sending, %.2f ms per webhook"
                    + " (app, load generator and feed follower together)%n", appCpuMillis / 1e3, wallSeconds, appCpuMillis / n);
            System.out.printf("BigCommerce burst: %d thin events in %.1f s -> %d follow-up requests (%.1f events per request)%n",
                    burst, burstSeconds, followUps, followUps == 0 ? 0 : (double) burst / followUps);
        }
    }

    /** The parts of a {@code GET /feed} answer the follower needs: each event's account key, and the next cursor. */
    record FeedPage(List<String> accountKeys, long next) {
        static FeedPage read(byte[] body, long after) throws java.io.IOException {
            List<String> keys = new ArrayList<>();
            long next = after;
            try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body)) {
                int depth = 0;
                for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t.isStructStart()) {
                        depth++;
                    } else if (t.isStructEnd()) {
                        depth--;
                    } else if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if (depth == 3 && name.equals("accountKey")) {
                            p.nextToken();
                            keys.add(p.getText());
                        } else if (depth == 1 && name.equals("next")) {
                            p.nextToken();
                            next = p.getLongValue();
                        }
                    }
                }
            }
            return new FeedPage(keys, next);
        }
    }

    /** Daemon threads: the JVM must end when main does, or a finished run hangs on its idle pools. */
    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger no = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + no.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static double pct(List<Long> sortedNanos, int p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, i)) / 1e6;
    }
}
