package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.store.SandboxStores;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.webhook.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * <pre>java -cp target/commerce-identity-feed.jar com.commerceidentity.bench.WebhookBenchmark 20000 16</pre>
 */
public final class WebhookBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
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
            byte[][] requests = new byte[n][];
            String[] accountKeys = new String[n];
            for (int i = 0; i < n; i++) {
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

            List<Long> ack = Collections.synchronizedList(new ArrayList<>(n));
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            AtomicLong lastAckAt = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(senders, daemon("bench-sender-"));
            CountDownLatch done = new CountDownLatch(senders);
            long cpuBefore = processCpuNanos();
            long started = System.nanoTime();
            for (int t = 0; t < senders; t++) {
                pool.submit(() -> {
                    try (KeepAliveSender connection = new KeepAliveSender(port)) {
                        int i;
                        while ((i = next.getAndIncrement()) < n) {
                            long t0 = System.nanoTime();
                            sentAt.put(accountKeys[i], t0);
                            int status = connection.exchange(requests[i]);
                            long t1 = System.nanoTime();
                            ack.add(t1 - t0);
                            lastAckAt.accumulateAndGet(t1, Math::max);
                            if (status != 200) {
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
            // Meanwhile, follow the feed and note when each account first appears.
            Map<String, Long> seenAt = new HashMap<>();
            long after = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seenAt.size() < n && System.nanoTime() < deadline) {
                JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/feed?after=" + after + "&limit=1000")).build(), HttpResponse.BodyHandlers.ofString()).body());
                long now = System.nanoTime();
                for (JsonNode e : page.get("events")) {
                    seenAt.putIfAbsent(e.path("accountKey").asText(), now);
                }
                after = page.path("next").asLong(after);
                if (page.get("events").isEmpty()) {
                    Thread.sleep(20);
                }
            }
            done.await();
            long cpuAfter = processCpuNanos();
            double wallSeconds = (lastAckAt.get() - started) / 1e9;
            // Read while the senders and the client's threads are still alive.
            double generatorCpu = threadCpuSeconds(name -> name.startsWith("bench-") || name.startsWith("HttpClient-"));
            double followerCpu = threadCpuSeconds("main"::equals);
            pool.shutdown();
            List<Long> toFeed = new ArrayList<>();
            sentAt.forEach((k, t0) -> {
                Long seen = seenAt.get(k);
                if (seen != null) {
                    toFeed.add(seen - t0);
                }
            });
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
            System.out.printf("verified Shopify webhooks: %d sent by %d senders, %d failed%n", n, senders, failures.get());
            System.out.printf("  sustained rate            %,.0f webhooks/s%n", ack.size() / ((lastAckAt.get() - started) / 1e9));
            System.out.printf("  acknowledge latency       p50 %.1f ms, p99 %.1f ms%n", pct(ack, 50), pct(ack, 99));
            System.out.printf("  event-to-feed latency     p50 %.0f ms, p99 %.0f ms (%d of %d seen)%n", pct(toFeed, 50),
                    pct(toFeed, 99), toFeed.size(), n);
            System.out.printf("  CPU (2 cores shared)      whole process %.1f s over %.1f s of sending; load generator %.1f s,"
                    + " feed follower %.1f s, so the app used about %.1f s (%.2f ms per webhook)%n", (cpuAfter - cpuBefore) / 1e9,
                    wallSeconds, generatorCpu, followerCpu, (cpuAfter - cpuBefore) / 1e9 - generatorCpu - followerCpu,
                    ((cpuAfter - cpuBefore) / 1e6 - (generatorCpu + followerCpu) * 1e3) / n);
            System.out.printf("BigCommerce burst: %d thin events in %.1f s -> %d follow-up requests (%.1f events per request)%n",
                    burst, burstSeconds, followUps, followUps == 0 ? 0 : (double) burst / followUps);
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the live threads whose name matches (threads that ended are not counted). */
    private static double threadCpuSeconds(java.util.function.Predicate<String> name) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && name.test(t.getThreadName())) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total / 1e9;
    }

    private static double pct(List<Long> sortedNanos, int p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, i)) / 1e6;
    }
}
