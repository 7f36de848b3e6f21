package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.graph.IdentityGraph;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * End-to-end file-drop benchmark: generates N synthetic customers (four platforms, about 20% sharing an
 * email with a customer elsewhere), drops them into the inbox of an in-process app, and prints records/s
 * from the first file handed in to the last file done, the JVM's peak heap, and the feed events written.
 *
 * <pre>java -Xmx256m -cp target/commerce-identity-feed.jar com.commerceidentity.bench.DropBenchmark 1000000</pre>
 *
 * <p>With {@code -Dbench.retention.max-events=N} it then applies feed retention keeping the newest N events and prints
 * the database before and after: feed rows and bytes, and the H2 file (after {@code SHUTDOWN COMPACT}, which is what
 * gives freed pages back to the file system; the live file keeps them for reuse). {@code -Dbench.compact=true} alone
 * prints the compacted file without retention, the baseline to compare with.
 */
public final class DropBenchmark {
    private static final String[] PLATFORMS = {"shopify", "bigcommerce", "magento", "medusa"};
    static final String[] FIRST = {"Ada", "Grace", "Alan", "Maria", "Chen", "Aisha", "Lars", "Noor",
            "Kwame", "Sofia", "Ivan", "Yuki", "Omar", "Lena", "Raj", "Elena"};
    static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Lopez", "Wei", "Khan", "Berg", "Haddad",
            "Mensah", "Rossi", "Petrov", "Sato", "Farah", "Novak", "Patel", "Garcia"};

    private DropBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        int filesPerPlatform = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path work = BenchDir.temporary("cif-bench");
        Path staging = work.resolve("staging");
        Path inbox = work.resolve("inbox");
        System.out.printf("generating %,d customers in %s ...%n", n, staging);
        List<Path> files = generate(staging, n, filesPerPlatform);
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }

        String keepEvents = System.getProperty("bench.retention.max-events");
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "app.data-dir", work.resolve("data").toString(),
                "app.inbox-dir", inbox.toString(),
                "app.inbox.poll-delay-ms", "200",
                "sandbox.enabled", "false",
                "app.sync.enabled", "false",
                "camel.server.port", "0"));
        for (String p : PLATFORMS) {
            // exports are taken for configured stores only; these are never called
            settings.put("stores.bench-" + p + ".platform", p);
            settings.put("stores.bench-" + p + ".base-url", "http://127.0.0.1:9");
        }
        if (keepEvents != null) {
            settings.put("app.feed.retention.max-events", keepEvents);
        }
        Path db = work.resolve("data").resolve("db");
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            System.gc();
            HeapSampler heap = HeapSampler.start();
            long cpuStart = ProcessCpu.nanos();
            Instant start = Instant.now();
            for (Path f : files) {
                Path target = inbox.resolve(staging.relativize(f));
                Files.createDirectories(target.getParent());
                Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            }
            Path done = inbox.resolve(".done");
            Instant deadline = start.plus(Duration.ofMinutes(30));
            while (countFiles(done) + countFiles(inbox.resolve(".error")) < files.size()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("benchmark did not finish within 30 minutes");
                }
                Thread.sleep(50);
            }
            Duration took = Duration.between(start, Instant.now());
            double cpuSeconds = (ProcessCpu.nanos() - cpuStart) / 1e9;
            Map<String, Double> byThread = cpuByThread();
            long peakHeap = heap.stop();
            IdentityGraph.Stats stats = app.bean("identityGraph", IdentityGraph.class).stats();
            long feedLines = countLines(work.resolve("data").resolve("feed"));
            double seconds = took.toMillis() / 1000.0;
            System.out.println();
            System.out.println("| metric | value |");
            System.out.println("|---|---|");
            System.out.printf("| records | %,d |%n", n);
            System.out.printf("| input | %d files, %,d MB |%n", files.size(), bytes >> 20);
            System.out.printf("| wall time | %.1f s |%n", seconds);
            System.out.printf("| records/s end to end | %,.0f |%n", n / seconds);
            // Wall time depends on what else the machine runs; CPU time per record does much less.
            System.out.printf("| process CPU time (all threads, incl. GC and JIT) | %.1f s (%,.0f records per CPU-second) |%n",
                    cpuSeconds, n / cpuSeconds);
            double javaThreads = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder split = new StringBuilder();
            byThread.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                    .forEach(e -> split.append(String.format("%s %.1f s, ", e.getKey(), e.getValue())));
            System.out.printf("| CPU by thread (whole JVM life) | %sGC/JIT/VM %.1f s |%n", split,
                    Math.max(0, ProcessCpu.nanos() / 1e9 - javaThreads));
            System.out.printf("| peak heap used during ingest | %,d MB (sampled every %d ms) |%n", peakHeap >> 20,
                    HeapSampler.PERIOD_MS);
            System.out.printf("| JVM heap limit | %s (max heap %,d MB) |%n", heapFlag(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("| feed events written (NDJSON lines) | %,d |%n", feedLines);
            System.out.printf("| graph: observations / stale / unchanged / events | %,d / %,d / %,d / %,d |%n",
                    stats.observations(), stats.stale(), stats.unchanged(), stats.events());
            System.out.printf("| rejected files | %d |%n", countFiles(inbox.resolve(".error")));
            if (keepEvents != null) {
                javax.sql.DataSource ds = app.bean("dataSource", javax.sql.DataSource.class);
                System.out.printf("| before retention: feed rows, payload bytes / H2 file | %s / %,d MB |%n",
                        feedRows(ds), dirBytes(db) >> 20);
                Instant t = Instant.now();
                long horizon = app.bean("feedRetention", com.commerceidentity.graph.FeedRetention.class).apply();
                System.out.printf("| retention (keep newest %s): horizon seq, took | %,d, %.1f s |%n", keepEvents, horizon,
                        Duration.between(t, Instant.now()).toMillis() / 1000.0);
                System.out.printf("| after retention: feed rows, payload bytes / snapshot rows | %s / %,d |%n",
                        feedRows(ds), count(ds, "SELECT COUNT(*) FROM feed_snapshot"));
            }
        }
        if (keepEvents != null || Boolean.getBoolean("bench.compact")) {
            long live = dirBytes(db);
            try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db.resolve("identity"), "sa", "");
                 var st = c.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
            System.out.printf("| %s: H2 file live / after SHUTDOWN COMPACT | %,d MB / %,d MB |%n",
                    keepEvents != null ? "after retention" : "no retention", live >> 20, dirBytes(db) >> 20);
        }
    }

    private static String feedRows(javax.sql.DataSource ds) throws java.sql.SQLException {
        return String.format("%,d rows, %,d MB", count(ds, "SELECT COUNT(*) FROM feed_events"),
                count(ds, "SELECT COALESCE(SUM(OCTET_LENGTH(payload)), 0) FROM feed_events") >> 20);
    }

    private static long count(javax.sql.DataSource ds, String sql) throws java.sql.SQLException {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static List<Path> generate(Path staging, long n, int filesPerPlatform) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        long sharedPool = Math.max(1, n / 10);
        List<Path> files = new ArrayList<>();
        List<BufferedWriter> writers = new ArrayList<>();
        for (String p : PLATFORMS) {
            for (int i = 0; i < filesPerPlatform; i++) {
                Path f = staging.resolve(p).resolve("bench-" + p).resolve(String.format("part-%02d.ndjson", i));
                Files.createDirectories(f.getParent());
                files.add(f);
                writers.add(Files.newBufferedWriter(f, StandardCharsets.UTF_8));
            }
        }
        try {
            for (long i = 0; i < n; i++) {
                int platform = (int) (i % PLATFORMS.length);
                int file = platform * filesPerPlatform + (int) ((i / PLATFORMS.length) % filesPerPlatform);
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                String email = email(random, first, last, i, sharedPool);
                writers.get(file).write(record(PLATFORMS[platform], i, first, last, email, random));
                writers.get(file).write('\n');
            }
        } finally {
            for (BufferedWriter w : writers) {
                w.close();
            }
        }
        return files;
    }

    /** About one record in five uses an address from a pool that other platforms also draw from. */
    static String email(SplittableRandom random, String first, String last, long i, long sharedPool) {
        return random.nextInt(5) == 0
                ? first + "." + last + "." + random.nextLong(sharedPool) + "@Shared.example.net"
                : first.toLowerCase() + "." + i + "@mail.example.net";
    }

    private static String record(String platform, long i, String first, String last, String email,
                                 SplittableRandom random) {
        String phone = random.nextInt(3) == 0 ? "" : "+1 415 555 " + String.format("%04d", random.nextInt(10000));
        String stamp = Instant.parse("2023-01-01T00:00:00Z").plusSeconds(i * 7).toString();
        return switch (platform) {
            case "shopify" -> "{\"id\":" + (7_000_000_000_000_000_000L / 1000 + i) * 1000 + ",\"email\":\"" + email
                    + "\",\"first_name\":\"" + first + "\",\"last_name\":\"" + last + "\",\"phone\":"
                    + (phone.isEmpty() ? "null" : "\"" + phone + "\"") + ",\"state\":\"enabled\",\"created_at\":\""
                    + stamp + "\",\"updated_at\":\"" + stamp + "\"}";
            case "bigcommerce" -> "{\"id\":" + (i + 1) + ",\"email\":\"" + email + "\",\"first_name\":\"" + first
                    + "\",\"last_name\":\"" + last + "\",\"phone\":\"" + phone + "\",\"date_created\":\"" + stamp
                    + "\",\"date_modified\":\"" + stamp + "\"}";
            case "magento" -> "{\"id\":" + (i + 1) + ",\"email\":\"" + email + "\",\"firstname\":\"" + first
                    + "\",\"lastname\":\"" + last + "\",\"created_at\":\"" + stamp.replace('T', ' ').replace("Z", "")
                    + "\",\"updated_at\":\"" + stamp.replace('T', ' ').replace("Z", "") + "\",\"store_id\":1,\"website_id\":1}";
            default -> "{\"id\":\"cus_" + Long.toString(i, 36) + "\",\"email\":\"" + email + "\",\"first_name\":\""
                    + first + "\",\"last_name\":\"" + last + "\",\"phone\":" + (phone.isEmpty() ? "null" : "\"" + phone + "\"")
                    + ",\"has_account\":true,\"created_at\":\"" + stamp + "\",\"updated_at\":\"" + stamp
                    + "\",\"deleted_at\":null}";
        };
    }

    /** CPU seconds of live Java threads, grouped by name with digits removed (pools count as one). */
    private static Map<String, Double> cpuByThread() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> out = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = t == null ? -1 : threads.getThreadCpuTime(t.getThreadId());
            if (cpu > 0) {
                String name = t.getThreadName().replaceAll("\\d+", "#").replaceAll("^Camel \\(camel-#\\) thread #(#)? - ", "");
                out.merge(name.length() > 40 ? name.substring(0, 40) : name, cpu / 1e9, Double::sum);
            }
        }
        return out;
    }

    /** The -Xmx the run was made with, as given on the command line (the limit the target is about). */
    private static String heapFlag() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).orElse("no -Xmx (JVM default)");
    }

    /**
     * Samples total heap used on a daemon thread. Summing each pool's own peak over-reports, because the
     * pools peak at different moments; the highest simultaneous total is what has to fit under -Xmx.
     */
    private static final class HeapSampler implements Runnable {
        static final long PERIOD_MS = 50;
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread = new Thread(s, "heap-sampler");
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }

        long stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            sample();
            return peak.get();
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".ndjson"))
                    .filter(p -> !p.toString().endsWith(".rejects.ndjson")).count();
        }
    }

    private static long countLines(Path dir) throws IOException {
        long lines = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                try (Stream<String> l = Files.lines(f)) {
                    lines += l.count();
                }
            }
        }
        return lines;
    }
}
