package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.IdentityGraph;
import com.commerceidentity.graph.IdentityRow;
import com.commerceidentity.graph.LinkedAccount;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Surface;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the graph's store alone costs for the rows a {@link DropBenchmark} run writes, so that the drop
 * benchmark's figure can be read against a floor. It starts the same embedded app (same H2 settings, same
 * schema), then, with no Camel, no file reading, no mapping and no resolution, writes through
 * {@link GraphStore}'s and {@link FeedEventLog}'s own SQL what the graph writes for a new customer: one
 * identity, one account and one {@code identity.created} event of the real size, in transactions of
 * {@code app.batch.size}, after the two look-ups the graph makes per batch (by key, by email), with one disk
 * sync per eighth (as per dropped file).
 * Building the rows is timed on its own and left out of the store's CPU.
 *
 * <pre>java -Xmx256m -XX:+UseParallelGC -cp target/commerce-identity-feed.jar com.commerceidentity.bench.StoreFloorBenchmark 1000000</pre>
 */
public final class StoreFloorBenchmark {
    private static final Platform[] PLATFORMS = com.commerceidentity.platform.PlatformModules.ids().stream()
            .map(Platform::of).toArray(Platform[]::new);

    private StoreFloorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        int cores = Runtime.getRuntime().availableProcessors();
        Path work = BenchDir.temporary("cif-floor");
        try (EmbeddedApp app = EmbeddedApp.start(Map.of(
                "app.data-dir", work.resolve("data").toString(),
                "app.inbox-dir", work.resolve("inbox").toString(),
                "sandbox.enabled", "false",
                "camel.server.port", "0"))) {
            IdentityGraph graph = app.bean("identityGraph", IdentityGraph.class);
            GraphStore store = graph.store();
            FeedEventLog eventLog = graph.eventLog();
            int batchSize = Integer.parseInt(app.context().resolvePropertyPlaceholders("{{app.batch.size}}"));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            SplittableRandom random = new SplittableRandom(42);
            long sharedPool = Math.max(1, n / 10);
            long syncEvery = Math.max(batchSize, n / 8);
            long buildNanos = 0;
            long cpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            for (long from = 0; from < n; from += batchSize) {
                long buildStart = threads.getCurrentThreadCpuTime();
                Batch batch = new Batch();
                for (long i = from; i < Math.min(n, from + batchSize); i++) {
                    batch.add(i, random, sharedPool);
                }
                buildNanos += threads.getCurrentThreadCpuTime() - buildStart;
                try (Connection c = store.connection()) {
                    c.setAutoCommit(false);
                    store.accountsByKeys(c, batch.keys);
                    store.accountsByEmails(c, batch.emails);
                    store.insertIdentities(c, batch.identities);
                    store.insertAccounts(c, batch.accounts);
                    eventLog.insertEvents(c, batch.events);
                    c.commit();
                }
                if ((from + batchSize) % syncEvery < batchSize) {
                    eventLog.syncToDisk();
                }
            }
            eventLog.syncToDisk();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (ProcessCpu.nanos() - cpuStart) / 1e9;
            double storeCpu = cpu - buildNanos / 1e9;
            System.out.println();
            System.out.println("| metric | value |");
            System.out.println("|---|---|");
            System.out.printf("| records (identity + account + event each) | %,d in batches of %,d |%n", n, batchSize);
            System.out.printf("| wall time | %.1f s (%,.0f records/s) |%n", seconds, n / seconds);
            System.out.printf("| process CPU | %.1f s, of which building the rows %.1f s |%n", cpu, buildNanos / 1e9);
            System.out.printf("| store CPU (JDBC, H2, its background writer, GC, JIT) | %.1f s = %.1f µs per record |%n",
                    storeCpu, storeCpu * 1e6 / n);
            System.out.printf("| ceiling for the store alone on %d cores | %,.0f records/s |%n", cores, cores * n / storeCpu);
            System.out.printf("| JVM heap limit | %,d MB |%n", Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    /** One batch of the rows the graph writes for brand-new customers. */
    private static final class Batch {
        final List<String> keys = new ArrayList<>();
        final List<String> emails = new ArrayList<>();
        final List<IdentityRow> identities = new ArrayList<>();
        final List<LinkedAccount> accounts = new ArrayList<>();
        final List<FeedEvent> events = new ArrayList<>();
        private final Instant now = Instant.now();

        void add(long i, SplittableRandom random, long sharedPool) {
            String first = DropBenchmark.FIRST[random.nextInt(DropBenchmark.FIRST.length)];
            String last = DropBenchmark.LAST[random.nextInt(DropBenchmark.LAST.length)];
            String emailRaw = DropBenchmark.email(random, first, last, i, sharedPool);
            String email = emailRaw.toLowerCase(Locale.ROOT);
            boolean phone = random.nextInt(3) != 0;
            String phoneDigits = String.format("%04d", random.nextInt(10000));
            Platform platform = PLATFORMS[(int) (i % PLATFORMS.length)];
            AccountKey key = new AccountKey(platform, "bench", Kind.CUSTOMER, Long.toString(i + 1));
            Instant stamp = Instant.parse("2023-01-01T00:00:00Z").plusSeconds(i * 7);
            String identityId = String.format("idn_%012x%020x", now.toEpochMilli(), i);
            Account account = new Account(key, emailRaw, email, phone ? "+1 415 555 " + phoneDigits : null,
                    phone ? "+1415555" + phoneDigits : null, first, last, AccountStatus.ACTIVE, stamp, stamp, null,
                    stamp, Surface.FILE);
            String input = "file:" + platform.id() + "/bench/part-00.ndjson#L" + (i + 1);
            keys.add(key.toString());
            emails.add(email);
            identities.add(new IdentityRow(identityId, null, false, now, now));
            accounts.add(new LinkedAccount(account, identityId, "first", null, now, input));
            events.add(new FeedEvent(i + 1, FeedEvent.IDENTITY_CREATED, identityId, key.toString(), now,
                    createdEvent(i + 1, identityId, account, input).getBytes(StandardCharsets.UTF_8)));
        }

        /** The document of an identity.created event, field for field as the graph renders one. */
        private String createdEvent(long seq, String id, Account a, String input) {
            String key = a.key().toString();
            return "{\"seq\":" + seq + ",\"type\":\"identity.created\",\"occurredAt\":\"" + now + "\",\"identityId\":\""
                    + id + "\",\"accountKey\":\"" + key + "\",\"cause\":{\"reason\":\"new-account\",\"account\":\"" + key
                    + "\",\"input\":\"" + input + "\"},\"identity\":{\"id\":\"" + id + "\",\"status\":\"active\","
                    + "\"golden\":{\"email\":\"" + a.email() + "\",\"firstName\":\"" + a.firstName()
                    + "\",\"lastName\":\"" + a.lastName() + "\"},\"createdAt\":\"" + now + "\",\"updatedAt\":\"" + now
                    + "\",\"accounts\":[{\"key\":\"" + key + "\",\"platform\":\"" + a.key().platform().id()
                    + "\",\"store\":\"bench\",\"kind\":\"customer\",\"sourceId\":\"" + a.key().sourceId()
                    + "\",\"email\":\"" + a.emailRaw() + "\",\"emailNormalized\":\"" + a.email() + "\",\"firstName\":\""
                    + a.firstName() + "\",\"lastName\":\"" + a.lastName() + "\",\"status\":\"active\",\"createdAt\":\""
                    + a.createdAt() + "\",\"updatedAt\":\"" + a.updatedAt() + "\",\"version\":\"" + a.version()
                    + "\",\"surface\":\"file\",\"link\":{\"rule\":\"first\",\"linkedAt\":\"" + now + "\"}}]}}";
        }
    }
}
