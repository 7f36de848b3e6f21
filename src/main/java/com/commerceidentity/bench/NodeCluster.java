package com.commerceidentity.bench;

import com.commerceidentity.graph.IdentityGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code WebhookBenchmark --nodes N}: N app nodes sharing one PostgreSQL, each in a JVM of its own
 * ({@link BenchNode}), the senders spread over them and this JVM only sending and following the feed.
 *
 * <p>Separate JVMs rather than N apps in this one: apps in one JVM share its heap and collector (a
 * stop-the-world pause would halt every node at once, and the senders with them), its JIT threads, and one
 * process's CPU figure, so "two nodes" would measure one bigger process. Nodes in production are processes of
 * their own, usually on machines of their own; here they at least get a process and a heap each, and
 * {@code -Dbench.node-cpus=0-1/2-3} pins node 1 to CPUs 0-1 and node 2 to CPUs 2-3 ({@code taskset}), so a one-node
 * and a two-node run can be given the same cores per node. One node is run the same way, so that "one node" and
 * "two nodes" differ only in the count.
 *
 * <p>The nodes get the JVM options ({@code -X...}) this JVM was started with, the {@code app.*} and
 * {@code stores.*} system properties (database, batch sizes), and their working directory (routes,
 * application.properties). The database must be fresh: the webhooks' event ids and customer ids are the same
 * in every run, and a used database would answer them as duplicates.
 */
final class NodeCluster {
    private static final String STORE = "bench-shopify";

    private NodeCluster() {
    }

    static void run(int n, int senders, int warmup, int nodeCount) throws Exception {
        String url = System.getProperty("app.db.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--nodes runs app nodes that share one PostgreSQL: give it with"
                    + " -Dapp.db.url=jdbc:postgresql://127.0.0.1:<port>/<fresh database> -Dapp.db.user=...,"
                    + " or run the benchmark through com.commerceidentity.bench.PgBench (test classpath),"
                    + " which starts one (app.db.url is '" + url + "')");
        }
        if (senders < nodeCount) {
            throw new IllegalArgumentException(senders + " senders cannot keep " + nodeCount + " nodes busy");
        }
        int total = warmup + n;
        Path work = BenchDir.temporary("cif-webhook-nodes");
        byte[] secret = new byte[24];
        new java.security.SecureRandom().nextBytes(secret);
        String webhookSecret = HexFormat.of().formatHex(secret);
        String[] cpus = System.getProperty("bench.node-cpus", "").isBlank() ? new String[0]
                : System.getProperty("bench.node-cpus").split("/");
        if (cpus.length != 0 && cpus.length < nodeCount) {
            throw new IllegalArgumentException("-Dbench.node-cpus names CPUs for " + cpus.length + " node(s) ('"
                    + System.getProperty("bench.node-cpus") + "', one CPU list per node separated by /) but --nodes is "
                    + nodeCount);
        }
        DataSource db = dataSource(url);
        List<Node> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(Node::kill), "bench-nodes-stop"));
        for (int k = 0; k < nodeCount; k++) {
            nodes.add(Node.start(k + 1, work, url, webhookSecret, cpus.length == 0 ? null : cpus[k]));
        }
        for (Node node : nodes) {
            node.awaitReady();
        }
        fresh(db);
        int[] ports = nodes.stream().mapToInt(Node::port).toArray();
        WebhookBenchmark.Load load = WebhookBenchmark.Load.prepare(total, webhookSecret.getBytes(StandardCharsets.UTF_8),
                STORE, ports);
        long[] cpuAtMeasure = new long[nodeCount + 1];
        WebhookBenchmark.Sending sending = WebhookBenchmark.Sending.start(load, senders, warmup, () -> {
            for (int k = 0; k < nodeCount; k++) {
                cpuAtMeasure[k] = nodes.get(k).cpuNanos();
            }
            cpuAtMeasure[nodeCount] = ProcessCpu.nanos();
        });
        Map<String, Long> seenAt = WebhookBenchmark.follow(ports, total);
        sending.done().await();
        long[] cpuAfter = new long[nodeCount + 1];
        for (int k = 0; k < nodeCount; k++) {
            cpuAfter[k] = nodes.get(k).cpuNanos();
        }
        cpuAfter[nodeCount] = ProcessCpu.nanos();
        sending.pool().shutdown();
        WebhookBenchmark.Figures f = WebhookBenchmark.Figures.of(load, sending, seenAt, warmup, total);
        WebhookBenchmark.settled(db);
        List<IdentityGraph.Stats> stats = new ArrayList<>();
        for (Node node : nodes) {
            stats.add(node.stop());
        }
        String once = WebhookBenchmark.Check.appliedOnce(db, total, stats);

        System.out.println();
        System.out.printf("verified Shopify webhooks on %d node%s (a JVM each, one PostgreSQL): %d measured after %d to"
                        + " warm up, sent by %d senders (%s per node), %d failed%n", nodeCount, nodeCount == 1 ? "" : "s",
                n, warmup, senders, perNode(senders, nodeCount), sending.failures().get());
        f.print();
        System.out.printf("  applied once              %s%n", once);
        StringBuilder cpu = new StringBuilder();
        for (int k = 0; k < nodeCount; k++) {
            cpu.append(String.format("node %d %.1f s%s, ", k + 1, (cpuAfter[k] - cpuAtMeasure[k]) / 1e9,
                    cpus.length == 0 ? "" : " (CPUs " + cpus[k] + ")"));
        }
        System.out.printf("%-28s%sload generator and follower %.1f s, over %.1f s of measured sending"
                        + " (PostgreSQL's own not included)%n", "  CPU (" + Runtime.getRuntime().availableProcessors()
                        + " cores)", cpu, (cpuAfter[nodeCount] - cpuAtMeasure[nodeCount]) / 1e9, f.wallSeconds());
        if (!once.startsWith("yes") || sending.failures().get() > 0) {
            System.exit(1);
        }
    }

    private static String perNode(int senders, int nodes) {
        return senders % nodes == 0 ? Integer.toString(senders / nodes)
                : (senders / nodes) + "-" + (senders / nodes + 1);
    }

    private static DataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(System.getProperty("app.db.user", ""));
        ds.setPassword(System.getProperty("app.db.password", ""));
        return ds;
    }

    /** Refuses a database that already holds webhooks or feed events: their ids would be answered as duplicates. */
    private static void fresh(DataSource db) throws Exception {
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(
                     "SELECT (SELECT COUNT(*) FROM webhook_inbox), (SELECT COUNT(*) FROM feed_events)")) {
            rs.next();
            if (rs.getLong(1) != 0 || rs.getLong(2) != 0) {
                throw new IllegalStateException("the database of app.db.url already holds " + rs.getLong(1)
                        + " webhook rows and " + rs.getLong(2) + " feed events: give the benchmark a fresh database"
                        + " (every run sends the same event ids, which a used one answers as duplicates)");
            }
        }
    }

    /** One node's JVM, what it printed going to {@code node-<k>.log} in the benchmark's directory. */
    private static final class Node {
        private final int number;
        private final int port;
        private final Process process;
        private final Path log;
        private final BlockingQueue<String> said = new LinkedBlockingQueue<>();

        private Node(int number, int port, Process process, Path log) {
            this.number = number;
            this.port = port;
            this.process = process;
            this.log = log;
        }

        static Node start(int number, Path work, String url, String webhookSecret, String cpus) throws IOException {
            int port = WebhookBenchmark.freePort();
            Path dir = work.resolve("node-" + number);
            Map<String, String> s = new LinkedHashMap<>();
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("app.") || k.startsWith("stores."))
                    .sorted().forEach(k -> s.put(k, System.getProperty(k)));
            s.put("app.db.url", url);
            s.put("app.data-dir", dir.resolve("data").toString());
            s.put("app.inbox-dir", dir.resolve("inbox").toString());
            s.put("camel.server.port", Integer.toString(port));
            s.put("app.cluster.node-id", "bench-node-" + number);
            s.put("app.sync.enabled", "false");
            s.put("sandbox.enabled", "false");
            // Full payloads only: the store is never called, so it needs no simulator behind it.
            s.put("stores." + STORE + ".platform", "shopify");
            s.put("stores." + STORE + ".base-url", "http://127.0.0.1:9");
            s.put("stores." + STORE + ".webhook-secret", webhookSecret);
            List<String> command = new ArrayList<>();
            if (cpus != null) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("-X")).forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchNode.class.getName()));
            s.forEach((k, v) -> command.add(k + "=" + v));
            Files.createDirectories(dir);
            Path log = work.resolve("node-" + number + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            Node node = new Node(number, port, p, log);
            Thread reader = new Thread(node::read, "bench-node-" + number + "-output");
            reader.setDaemon(true);
            reader.start();
            return node;
        }

        int port() {
            return port;
        }

        long cpuNanos() {
            return ProcessCpu.nanos(process.toHandle());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("BENCHNODE ")) {
                        said.add(line);
                    } else {
                        out.println(line);
                    }
                }
            } catch (IOException e) {
                said.add("BENCHNODE LOST " + e);
            }
            said.add("BENCHNODE EXITED");
        }

        void awaitReady() throws Exception {
            String line = said.poll(180, TimeUnit.SECONDS);
            if (!BenchNode.READY.equals(line)) {
                kill();
                throw new IllegalStateException("node " + number + " did not start (" + (line == null ? "not ready"
                        + " after 180 s" : line) + "); the end of its output:\n" + tail());
            }
        }

        IdentityGraph.Stats stop() throws Exception {
            OutputStream in = process.getOutputStream();
            in.write((BenchNode.STOP + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = said.poll(120, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(BenchNode.STATS)) {
                kill();
                throw new IllegalStateException("node " + number + " did not report its counts when stopped (" + line
                        + "); the end of its output:\n" + tail());
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
            String[] v = line.substring(BenchNode.STATS.length()).trim().split(" ");
            return new IdentityGraph.Stats(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                    Long.parseLong(v[3]));
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(" + log + " unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
