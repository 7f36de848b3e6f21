package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.graph.IdentityGraph;
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
import javax.sql.DataSource;

/**
 * Signed Shopify {@code customers/update} webhooks posted to the running app on loopback by an in-process load
 * generator (a fixed number of concurrent senders, each on one kept-alive connection, see {@link KeepAliveSender}): sustained rate, acknowledge latency p50/p99, and the time
 * from sending to the event's account appearing in the feed (p50/p99). Then a burst of BigCommerce thin events
 * and the follow-up requests it caused at the store.
 *
 * <pre>java -cp target/commerce-identity-feed.jar com.commerceidentity.bench.WebhookBenchmark 40000 64 20000</pre>
 * (measured webhooks, concurrent senders, webhooks sent first to warm up and left out of the figures).
 *
 * <p>{@code --nodes N} (after the numbers) runs N app nodes in JVMs of their own on one PostgreSQL
 * ({@code -Dapp.db.url}, or through {@code PgBench}) instead of the one app in this JVM, and checks that every
 * webhook was applied once; see {@link NodeCluster}. Both modes also print the applied rate.
 */
public final class WebhookBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Integer nodes = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--nodes")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--nodes needs a value (1 or 2)");
                }
                nodes = Integer.parseInt(args[++i]);
                if (nodes < 1) {
                    throw new IllegalArgumentException("--nodes is at least 1, not " + nodes);
                }
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--nodes)");
            } else {
                positional.add(args[i]);
            }
        }
        int n = positional.size() > 0 ? Integer.parseInt(positional.get(0).replace("_", "")) : 20_000;
        int senders = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 16;
        // Sent first and left out of the figures: the JIT compiles the hot paths during the first seconds, when
        // the rate is a third of the steady one and events reach the feed up to a second late.
        int warmup = positional.size() > 2 ? Integer.parseInt(positional.get(2).replace("_", "")) : 10_000;
        if (nodes == null) {
            inProcess(n, senders, warmup);
        } else {
            NodeCluster.run(n, senders, warmup, nodes);
        }
    }

    /** One app in this JVM, next to the senders and the follower: the figures as they have always been taken. */
    private static void inProcess(int n, int senders, int warmup) throws Exception {
        int total = warmup + n;
        int port = freePort();
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
            Load load = Load.prepare(total, shop.webhookSecret().getBytes(StandardCharsets.UTF_8), "shopify-sandbox",
                    new int[] {port});
            AtomicLong cpuAtMeasure = new AtomicLong();
            Sending sending = Sending.start(load, senders, warmup, () -> cpuAtMeasure.set(ProcessCpu.nanos()));
            Map<String, Long> seenAt = follow(new int[] {port}, total);
            sending.done.await();
            long cpuAfter = ProcessCpu.nanos();
            sending.pool.shutdown();
            Figures f = Figures.of(load, sending, seenAt, warmup, total);
            double appCpuMillis = (cpuAfter - cpuAtMeasure.get()) / 1e6;
            DataSource db = app.bean("dataSource", DataSource.class);
            String once = Check.appliedOnce(db, total, List.of(app.bean("identityGraph", IdentityGraph.class).stats()));

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
                    n, warmup, senders, sending.failures.get());
            f.print();
            System.out.printf("  applied once              %s%n", once);
            System.out.printf("  CPU (2 cores shared)      whole process %.1f s over %.1f s of measured sending, %.2f ms per webhook"
                    + " (app, load generator and feed follower together)%n", appCpuMillis / 1e3, f.wallSeconds, appCpuMillis / n);
            System.out.printf("BigCommerce burst: %d thin events in %.1f s -> %d follow-up requests (%.1f events per request)%n",
                    burst, burstSeconds, followUps, followUps == 0 ? 0 : (double) burst / followUps);
            if (!once.startsWith("yes")) {
                System.exit(1);
            }
        }
    }

    /** The webhooks, signed and encoded up front (once per node: the Host header names its port). */
    record Load(byte[][][] requests, String[] accountKeys) {
        static Load prepare(int total, byte[] key, String store, int[] ports) {
            // Signed and encoded up front, so the generator's share of the cores is sending, not hashing.
            byte[][][] requests = new byte[ports.length][total][];
            String[] accountKeys = new String[total];
            String path = "/webhooks/shopify/" + store;
            for (int i = 0; i < total; i++) {
                String id = Long.toString(9_007_199_254_740_993L + i);
                byte[] body = ("{\"id\":" + id + ",\"email\":\"bench" + i + "@example.org\",\"first_name\":\"B\","
                        + "\"last_name\":\"N" + i + "\",\"state\":\"enabled\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                        + "\"created_at\":\"2025-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                String hmac = Base64.getEncoder().encodeToString(Signatures.hmacSha256(key, body));
                for (int node = 0; node < ports.length; node++) {
                    requests[node][i] = KeepAliveSender.post(path, ports[node], new String[][] {
                            {"Content-Type", "application/json"}, {"X-Shopify-Hmac-Sha256", hmac},
                            {"X-Shopify-Topic", "customers/update"}, {"X-Shopify-Event-Id", "bench-" + i}}, body);
                }
                accountKeys[i] = "shopify:" + store + ":customer:" + id;
            }
            return new Load(requests, accountKeys);
        }
    }

    /**
     * The senders at work: each is one kept-alive connection to one node (sender t to node t mod nodes, so the
     * nodes get equal shares of the senders, as a load balancer spreading connections would give them), taking
     * the next webhook from one shared counter.
     */
    record Sending(long[] sentAt, long[] ackedAt, AtomicLong failures, ExecutorService pool, CountDownLatch done) {
        static Sending start(Load load, int senders, int warmup, Runnable atMeasure) {
            int total = load.accountKeys().length;
            int nodes = load.requests().length;
            Sending s = new Sending(new long[total], new long[total], new AtomicLong(),
                    Executors.newFixedThreadPool(senders, daemon("bench-sender-")), new CountDownLatch(senders));
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < senders; t++) {
                int node = t % nodes;
                byte[][] requests = load.requests()[node];
                s.pool.submit(() -> {
                    try (KeepAliveSender connection = new KeepAliveSender(portOf(requests[0]))) {
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            if (i == warmup) {
                                atMeasure.run();
                            }
                            s.sentAt[i] = System.nanoTime();
                            int status = connection.exchange(requests[i]);
                            s.ackedAt[i] = System.nanoTime();
                            if (status != 200 && i >= warmup) {
                                s.failures.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        System.err.println("sender to node " + (node + 1) + " gave up: " + e);
                        s.failures.incrementAndGet();
                    } finally {
                        s.done.countDown();
                    }
                });
            }
            return s;
        }

        /** The port a prepared request is addressed to (its Host header), so a sender connects where it sends. */
        private static int portOf(byte[] request) {
            String head = new String(request, 0, Math.min(request.length, 512), StandardCharsets.US_ASCII);
            int at = head.indexOf("Host: 127.0.0.1:") + "Host: 127.0.0.1:".length();
            return Integer.parseInt(head.substring(at, head.indexOf('\r', at)));
        }
    }

    /**
     * Follows the feed and notes when each account first appears: over kept-alive connections, picking out only
     * the fields needed, so the follower takes little of the cores it shares. With several nodes it asks them in
     * turn (each serves the whole shared feed), so no node carries the reads alone.
     */
    static Map<String, Long> follow(int[] ports, int total) throws Exception {
        Map<String, Long> seenAt = new HashMap<>();
        long after = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        List<KeepAliveSender> followers = new ArrayList<>();
        try {
            for (int port : ports) {
                followers.add(new KeepAliveSender(port));
            }
            java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream(1 << 20);
            for (int k = 0; seenAt.size() < total && System.nanoTime() < deadline; k++) {
                int node = k % ports.length;
                page.reset();
                followers.get(node).exchange(KeepAliveSender.get("/feed?after=" + after + "&limit=1000", ports[node]), page);
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
        } finally {
            for (KeepAliveSender f : followers) {
                f.close();
            }
        }
        return seenAt;
    }

    /** The figures of the measured webhooks (the warm-up left out). */
    record Figures(int n, double wallSeconds, List<Long> ack, List<Long> toFeed, double appliedSeconds) {
        static Figures of(Load load, Sending s, Map<String, Long> seenAt, int warmup, int total) {
            int n = total - warmup;
            long started = Long.MAX_VALUE;
            long lastAck = 0;
            long lastSeen = 0;
            List<Long> ack = new ArrayList<>(n);
            List<Long> toFeed = new ArrayList<>(n);
            for (int i = warmup; i < total; i++) {
                started = Math.min(started, s.sentAt()[i]);
                lastAck = Math.max(lastAck, s.ackedAt()[i]);
                ack.add(s.ackedAt()[i] - s.sentAt()[i]);
                Long seen = seenAt.get(load.accountKeys()[i]);
                if (seen != null) {
                    toFeed.add(seen - s.sentAt()[i]);
                    lastSeen = Math.max(lastSeen, seen);
                }
            }
            Collections.sort(ack);
            Collections.sort(toFeed);
            return new Figures(n, (lastAck - started) / 1e9, ack, toFeed, (lastSeen - started) / 1e9);
        }

        void print() {
            System.out.printf("  sustained rate            %,.0f webhooks/s%n", n / wallSeconds);
            System.out.printf("  acknowledge latency       p50 %.1f ms, p99 %.1f ms%n", pct(ack, 50), pct(ack, 99));
            System.out.printf("  event-to-feed latency     p50 %.0f ms, p99 %.0f ms (%d of %d seen)%n", pct(toFeed, 50),
                    pct(toFeed, 99), toFeed.size(), n);
            // From the first measured send to the last measured account seen in the feed: what the nodes applied,
            // which a fast acknowledgement alone does not show (the inbox may be filling faster than it drains).
            System.out.printf("  applied rate              %,.0f events/s (%d in the feed %.1f s after the first was sent)%n",
                    toFeed.size() / appliedSeconds, toFeed.size(), appliedSeconds);
        }
    }

    /** Whether every webhook was applied once: by the graphs' own counts, the inbox's rows and the feed's events. */
    static final class Check {
        private Check() {
        }

        /**
         * "yes: ..." or "NO: ..." with the counts. The graphs' observations count applications (a second
         * application of an event would be an observation that changed nothing, invisible in the feed); the inbox
         * says none is left unapplied; the feed says each account was announced once.
         */
        static String appliedOnce(DataSource db, int total, List<IdentityGraph.Stats> byNode) throws Exception {
            long observations = byNode.stream().mapToLong(IdentityGraph.Stats::observations).sum();
            long unchanged = byNode.stream().mapToLong(IdentityGraph.Stats::unchanged).sum();
            long stale = byNode.stream().mapToLong(IdentityGraph.Stats::stale).sum();
            Map<String, Long> inbox = settled(db);
            long feedRows;
            long feedAccounts;
            try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
                try (java.sql.ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*), COUNT(DISTINCT account_key) FROM feed_events")) {
                    rs.next();
                    feedRows = rs.getLong(1);
                    feedAccounts = rs.getLong(2);
                }
            }
            long done = inbox.getOrDefault("done", 0L);
            boolean ok = observations == total && unchanged == 0 && stale == 0 && done == total && inbox.size() == 1
                    && feedRows == total && feedAccounts == total;
            StringBuilder split = new StringBuilder();
            if (byNode.size() > 1) {
                split.append(" (");
                for (int i = 0; i < byNode.size(); i++) {
                    split.append(i == 0 ? "" : " + ").append(String.format("%,d", byNode.get(i).observations()));
                }
                split.append(")");
            }
            return String.format("%s: %,d events sent; applied %,d times%s, %,d unchanged, %,d stale; inbox %s;"
                            + " feed %,d events for %,d accounts", ok ? "yes" : "NO", total, observations, split,
                    unchanged, stale, inbox, feedRows, feedAccounts);
        }
    }

    /**
     * The inbox's rows per status once no event is pending or claimed any more (at most a minute): an event is
     * marked done just after its account reaches the feed, where the follower saw it.
     */
    static Map<String, Long> settled(DataSource db) throws Exception {
        Map<String, Long> inbox = new java.util.TreeMap<>();
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                inbox.clear();
                try (java.sql.ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM webhook_inbox GROUP BY status")) {
                    while (rs.next()) {
                        inbox.put(rs.getString(1), rs.getLong(2));
                    }
                }
            } while ((inbox.containsKey("pending") || inbox.containsKey("working")) && System.nanoTime() < deadline
                    && sleep(100));
        }
        return inbox;
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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
    static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger no = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + no.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static double pct(List<Long> sortedNanos, int p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, i)) / 1e6;
    }
}
