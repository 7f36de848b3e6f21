package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.store.StoreCalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Shopify store's first customer backfill goes through bulk query operations: every customer once, the
 * watermark at the first operation's start less the overlap, what changed while they ran read by the paging that
 * follows, and paging from the beginning whenever bulk is not to be had. A big store is read in pieces by id range,
 * one operation after another, each piece's file ingested while the shop works on the next.
 */
class ShopifyBulkBackfillTest {
    static final String STORE = "shopify-sandbox";
    static final int CUSTOMERS = 400;
    @TempDir
    Path dir;
    SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    void start(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", Integer.toString(CUSTOMERS));
        s.put("stores." + STORE + ".sync.bulk-min-count", "100");
        s.put("stores." + STORE + ".sync.bulk-poll-ms", "20");
        s.put("sandbox.shopify.bulkObjectsPerSecond", "4000");
        s.putAll(extra);
        sync = new SyncHarness(dir, s);
    }

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.close();
        }
    }

    Simulator shopify() {
        return sync.simulator(STORE);
    }

    void everyCustomerOnce() throws Exception {
        Map<String, Integer> added = sync.accountsAdded(STORE);
        assertThat(added).hasSize(CUSTOMERS);
        assertThat(added.values()).as("each customer entered the graph once").containsOnly(1);
    }

    @Test
    void aBigStoreIsBackfilledByOneBulkOperationAndTheWatermarkIsItsStartLessTheOverlap() throws Exception {
        start(Map.of());
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed").containsEntry("rateLimited", 0L);
        assertThat((String) run.get("note")).startsWith("backfilled by bulk operation gid://shopify/BulkOperation/");
        assertThat(run.get("records")).isEqualTo((long) CUSTOMERS);
        everyCustomerOnce();
        JsonNode config = shopify().config();
        assertThat(config.path("bulkOperations").asInt()).isEqualTo(1);
        assertThat(config.path("bulkDownloadsWithAccessToken").asLong()).as("the signed URL gets no token").isZero();

        Instant createdAt = Instant.parse(currentOperation().path("createdAt").asText());
        assertThat(Instant.parse((String) run.get("watermark"))).isEqualTo(createdAt.minus(Duration.ofSeconds(60)));

        Map<String, Object> again = sync.run(STORE, "customers");
        assertThat(again).containsEntry("outcome", "completed").doesNotContainKey("note");
        assertThat((Map<?, ?>) again.get("events")).as("an incremental run over unchanged data").isEmpty();
        assertThat(shopify().config().path("bulkOperations").asInt()).as("bulk is for the first backfill").isEqualTo(1);
    }

    @Test
    void aCustomerUpdatedWhileTheOperationRunsIsReadByThePagingThatFollows() throws Exception {
        start(Map.of("sandbox.shopify.bulkHold", "true"));
        CompletableFuture<Exchange> running = sync.app.context().createProducerTemplate()
                .asyncSend("direct:sync-run", ex -> {
                    ex.getMessage().setHeader(StoreCalls.STORE_ID, STORE);
                    ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
                });
        ShopifySandbox sandbox = new ShopifySandbox(shopify());
        for (int i = 0; i < 500 && !"RUNNING".equals(sandbox.currentStatus()); i++) {
            Thread.sleep(10);
        }
        assertThat(sandbox.currentStatus()).isEqualTo("RUNNING");
        JsonNode changed = shopify().records().list(RecordControl.CUSTOMER).get(7);
        shopify().records().update(RecordControl.CUSTOMER, changed.path("id").asText(),
                json.createObjectNode().put("first_name", "Renamed"));
        shopify().configure(json.createObjectNode().put("bulkHold", false));
        assertThat(running.get(60, TimeUnit.SECONDS).getException()).isNull();
        sync.servedAll();

        Map<String, Object> run = sync.app.bean("syncStatus", SyncStatus.class).lastRun(STORE, "customers");
        assertThat(run).containsEntry("outcome", "completed").containsEntry("rateLimited", 0L);
        assertThat((String) run.get("note")).startsWith("backfilled by bulk operation");
        everyCustomerOnce();
        // The paging reads on while the operation's file is still going in, so either comes first: the file's old
        // name then the paging's update, or the new name first and the file's older copy counted stale. Either
        // way the graph ends with the new name.
        String key = "shopify:" + STORE + ":customer:" + changed.path("id").asText();
        JsonNode found = sync.get("/identities?email="
                + java.net.URLEncoder.encode(changed.path("email").asText(), java.nio.charset.StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        found.path("identities").forEach(identity -> identity.path("accounts").forEach(account -> {
            if (account.path("key").asText().equals(key)) {
                names.add(account.path("firstName").asText());
            }
        }));
        assertThat(names).as("the snapshot had the old name; the paging after it brings the new one")
                .containsExactly("Renamed");
    }

    @Test
    void aFailedOperationFallsBackToPagingAndSaysSo() throws Exception {
        start(Map.of("sandbox.shopify.bulkFailWith", "INTERNAL_SERVER_ERROR"));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed").containsEntry("rateLimited", 0L);
        assertThat((String) run.get("note")).matches(
                "bulk operation gid://shopify/BulkOperation/\\d+ ended FAILED \\(INTERNAL_SERVER_ERROR\\); paged instead");
        assertThat((Long) run.get("pages")).as("paged from the beginning").isGreaterThan(1);
        everyCustomerOnce();
    }

    @Test
    void anOperationThisSyncDidNotStartIsLeftAloneAndTheStoreIsPaged() throws Exception {
        start(Map.of());
        shopify().configure(json.createObjectNode().put("foreignBulkOperation", true));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed");
        assertThat((String) run.get("note")).startsWith("bulk not used: another bulk operation of this app is running")
                .endsWith("not started by this sync; paged instead");
        everyCustomerOnce();
        assertThat(new ShopifySandbox(shopify()).currentStatus()).as("not canceled by us").isEqualTo("RUNNING");
    }

    @Test
    void aStoreOfMoreThanTenThousandCustomersIsCountedInFullNotAtTheCountsDefaultCap() throws Exception {
        // Shopify's counts stop at 10,000 unless asked not to: counted that way this store looks below its threshold
        start(Map.of("sandbox.customers", "10050", "stores." + STORE + ".sync.bulk-min-count", "10001",
                "sandbox.shopify.bulkObjectsPerSecond", "50000"));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed");
        assertThat((String) run.get("note")).startsWith("backfilled by bulk operation");
        assertThat(sync.accountsAdded(STORE)).hasSize(10050);
    }

    @Test
    void theRunPollsWhenTheOperationsProgressSaysItEndsNotAWholeIntervalLater() throws Exception {
        // 400 customers at 400 a second: about a second's work, against a poll interval of 20 s
        start(Map.of("stores." + STORE + ".sync.bulk-poll-ms", "20000", "sandbox.shopify.bulkObjectsPerSecond", "400"));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed");
        assertThat((String) run.get("note")).startsWith("backfilled by bulk operation");
        assertThat(((Number) run.get("seconds")).doubleValue()).as("seen done before one interval passed").isLessThan(15);
        everyCustomerOnce();
    }

    @Test
    void aStoreBelowTheBulkThresholdIsPagedWithoutAnOperation() throws Exception {
        start(Map.of("stores." + STORE + ".sync.bulk-min-count", "1000"));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed").doesNotContainKey("note");
        assertThat(shopify().config().path("bulkOperations").asInt()).isZero();
        everyCustomerOnce();
    }

    @Test
    void aBigStoreIsReadInPiecesByIdRangeOneOperationAfterAnotherEachSmallerThanTheOneBefore() throws Exception {
        start(Map.of("stores." + STORE + ".sync.bulk-min-piece", "50"));
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed").containsEntry("rateLimited", 0L);
        assertThat((String) run.get("note")).startsWith("backfilled by 3 bulk operations over id ranges");
        assertThat(run.get("records")).isEqualTo((long) CUSTOMERS);
        everyCustomerOnce();

        JsonNode operations = shopify().config().path("bulkOperationsStarted");
        assertThat(operations).hasSize(3);
        List<String> searches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode op = operations.get(i);
            assertThat(op.path("status").asText()).isEqualTo("COMPLETED");
            Matcher search = Pattern.compile("customers\\(query: \"([^\"]*)\"\\)").matcher(op.path("query").asText());
            assertThat(search.find()).as("operation %d runs over an id range: %s", i, op.path("query").asText()).isTrue();
            searches.add(search.group(1));
            if (i > 0) {
                assertThat(Instant.parse(op.path("createdAt").asText()))
                        .as("one at a time: started once the one before completed")
                        .isAfterOrEqualTo(Instant.parse(operations.get(i - 1).path("completedAt").asText()));
            }
        }
        // the ranges meet without a gap or an overlap: [.., a), [a, b), [b, ..)
        Matcher first = Pattern.compile("id:<(\\d+)").matcher(searches.get(0));
        Matcher middle = Pattern.compile("id:>=(\\d+) AND id:<(\\d+)").matcher(searches.get(1));
        Matcher last = Pattern.compile("id:>=(\\d+)").matcher(searches.get(2));
        assertThat(first.matches() && middle.matches() && last.matches()).as("%s", searches).isTrue();
        assertThat(middle.group(1)).isEqualTo(first.group(1));
        assertThat(last.group(1)).isEqualTo(middle.group(2));
        long[] sizes = new long[3];
        for (int i = 0; i < 3; i++) {
            sizes[i] = operations.get(i).path("rootObjectCount").asLong();
        }
        assertThat(sizes[0] + sizes[1] + sizes[2]).isEqualTo(CUSTOMERS);
        // at the default ratio, 0.6: 204, 122 and 73 of the 400 (five pieces would leave the last under 50)
        assertThat(sizes[0]).as("each piece smaller than the one before").isGreaterThan(sizes[1]);
        assertThat(sizes[1]).isGreaterThan(sizes[2]);

        // to the second, as the Admin API gives the operation's createdAt
        Instant firstStarted = Instant.parse(operations.get(0).path("createdAt").asText()).truncatedTo(ChronoUnit.SECONDS);
        assertThat(Instant.parse((String) run.get("watermark"))).isEqualTo(firstStarted.minus(Duration.ofSeconds(60)));
    }

    @Test
    void aStoreWhoseCustomersBunchUpInOneIdRangeIsCutByItsCustomersNotByItsIds() throws Exception {
        // three pieces, each half the one before: 4/7, 2/7 and 1/7 of the store
        start(Map.of("stores." + STORE + ".sync.bulk-min-piece", "20", "stores." + STORE + ".sync.bulk-pieces", "3",
                "stores." + STORE + ".sync.bulk-piece-ratio", "0.5"));
        // keep 40 of the lower half's 200 ids: 240 customers, five in six of them in the upper half of the ids
        List<JsonNode> byId = shopify().records().list(RecordControl.CUSTOMER).stream()
                .sorted(java.util.Comparator.comparingLong(c -> c.path("id").asLong())).toList();
        for (int i = 0; i < 200; i++) {
            if (i % 5 != 0) {
                shopify().records().delete(RecordControl.CUSTOMER, byId.get(i).path("id").asText());
            }
        }
        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(run).containsEntry("outcome", "completed").containsEntry("records", 240L);
        JsonNode operations = shopify().config().path("bulkOperationsStarted");
        assertThat(operations).hasSize(3);
        // 4/7, 2/7, 1/7 of 240 are 137, 69 and 34; cut at equal id spans the first would hold about 69
        assertThat(operations.get(0).path("rootObjectCount").asLong()).isBetween(122L, 152L);
        assertThat(operations.get(1).path("rootObjectCount").asLong()).isBetween(54L, 84L);
        assertThat(operations.get(2).path("rootObjectCount").asLong()).isBetween(19L, 49L);
    }

    @Test
    void eachPiecesFileIsIngestedWhileTheShopWorksOnTheNextPiece() throws Exception {
        start(Map.of("stores." + STORE + ".sync.bulk-min-piece", "50", "sandbox.shopify.latency-ms", "50"));
        Map<String, Object> run = sync.run(STORE, "customers");
        assertThat(run).containsEntry("outcome", "completed");
        sync.servedAll();

        JsonNode operations = shopify().config().path("bulkOperationsStarted");
        assertThat(operations).hasSize(3);
        Map<String, Instant> created = customersCreatedAt();
        assertThat(created).hasSize(CUSTOMERS);
        for (int piece = 0; piece < 2; piece++) {
            Instant nextStarted = Instant.parse(operations.get(piece + 1).path("createdAt").asText());
            String query = operations.get(piece).path("query").asText();
            Matcher from = Pattern.compile("id:>=(\\d+)").matcher(query);
            Matcher upTo = Pattern.compile("id:<(\\d+)").matcher(query);
            assertThat(upTo.find()).isTrue();
            long lowest = from.find() ? Long.parseLong(from.group(1)) : Long.MIN_VALUE;
            long below = Long.parseLong(upTo.group(1));
            List<Instant> ofPiece = created.entrySet().stream()
                    .filter(e -> {
                        long id = Long.parseLong(e.getKey().substring(e.getKey().lastIndexOf(':') + 1));
                        return id >= lowest && id < below;
                    })
                    .map(Map.Entry::getValue).toList();
            assertThat(ofPiece).isNotEmpty();
            assertThat(ofPiece).as("piece %d's customers entered the graph after piece %d was started", piece + 1,
                    piece + 2).allMatch(at -> !at.isBefore(nextStarted));
        }
    }

    /**
     * A shop that runs one bulk query at a time refuses the next piece's mutation while the piece before still
     * runs. Sent for when that piece should end, by its pace, the mutation is refused here because the shop holds
     * the piece: it is sent again, then the piece is polled until it ends, and the next piece follows.
     */
    @Test
    void aNextPieceSentForWhenTheOneBeforeShouldEndIsSentAgainWhileTheShopStillRunsThatOne() throws Exception {
        // 400 customers at 100 a second in pieces of 204, 122 and 73: the first runs about two seconds, and polls
        // up to the default 2 s apart leave its end to be predicted from its pace
        start(Map.of("stores." + STORE + ".sync.bulk-min-piece", "50", "sandbox.shopify.bulkObjectsPerSecond", "100",
                "sandbox.shopify.bulkHold", "true", "stores." + STORE + ".sync.bulk-poll-ms", "2000"));
        CompletableFuture<Exchange> running = sync.app.context().createProducerTemplate()
                .asyncSend("direct:sync-run", ex -> {
                    ex.getMessage().setHeader(StoreCalls.STORE_ID, STORE);
                    ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
                });
        for (int i = 0; i < 600 && shopify().config().path("bulkStartsRefused").asInt() == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(shopify().config().path("bulkStartsRefused").asInt()).as("the second piece's mutation, refused")
                .isPositive();
        assertThat(shopify().config().path("bulkOperations").asInt()).as("the first piece, held by the shop").isEqualTo(1);
        shopify().configure(json.createObjectNode().put("bulkHold", false));
        assertThat(running.get(60, TimeUnit.SECONDS).getException()).isNull();
        sync.servedAll();

        Map<String, Object> run = sync.app.bean("syncStatus", SyncStatus.class).lastRun(STORE, "customers");
        assertThat(run).containsEntry("outcome", "completed").containsEntry("records", (long) CUSTOMERS);
        assertThat((String) run.get("note")).startsWith("backfilled by 3 bulk operations over id ranges");
        everyCustomerOnce();
        JsonNode operations = shopify().config().path("bulkOperationsStarted");
        assertThat(operations).hasSize(3);
        operations.forEach(op -> assertThat(op.path("status").asText()).isEqualTo("COMPLETED"));
    }

    /**
     * The run reads on by keyset, from the first operation's start less the overlap, while the last piece's file
     * is still being ingested. That watermark vouches for every customer the operations read, so it is saved only
     * once the last file is in the graph: a kill before then leaves no watermark, and the next run backfills again.
     */
    @Test
    void theRunReadsOnWhileTheLastPiecesFileIsIngestedAndSavesNoWatermarkUntilItIsInTheGraph() throws Exception {
        start(Map.of("stores." + STORE + ".sync.bulk-min-piece", "50"));
        CountDownLatch readOnHandedOn = new CountDownLatch(1);
        AtomicInteger files = new AtomicInteger();
        AtomicBoolean heldUntilThen = new AtomicBoolean();
        AtomicReference<SyncState> savedMeanwhile = new AtomicReference<>();
        AdviceWith.adviceWith(sync.app.context(), "shopify-bulk-ingest", a -> a.weaveByToUri("direct:ingest-records")
                .before().process(ex -> {
                    if (files.incrementAndGet() == 3) {
                        heldUntilThen.set(readOnHandedOn.await(20, TimeUnit.SECONDS));
                    }
                }));
        AdviceWith.adviceWith(sync.app.context(), "sync-commit-page", a -> a.weaveAddLast().process(ex -> {
            if (readOnHandedOn.getCount() > 0) {
                savedMeanwhile.set(sync.saved(STORE, "customers"));
                readOnHandedOn.countDown();
            }
        }));

        Map<String, Object> run = sync.run(STORE, "customers");

        assertThat(heldUntilThen).as("the last piece's file was held until the run's first page was handed on").isTrue();
        assertThat(savedMeanwhile.get()).isNotNull();
        assertThat(savedMeanwhile.get().watermark()).as("the watermark saved while the last file was not in the graph")
                .isNull();
        assertThat(run).containsEntry("outcome", "completed").containsEntry("records", (long) CUSTOMERS);
        assertThat((String) run.get("note")).startsWith("backfilled by 3 bulk operations over id ranges");
        everyCustomerOnce();
        Instant firstStarted = Instant.parse(shopify().config().path("bulkOperationsStarted").get(0).path("createdAt")
                .asText()).truncatedTo(ChronoUnit.SECONDS);
        assertThat(sync.saved(STORE, "customers").watermark()).as("after the run")
                .isEqualTo(firstStarted.minus(Duration.ofSeconds(60)));
    }

    /** When each customer of the store entered the graph, by account key (its identity.created event). */
    private Map<String, Instant> customersCreatedAt() throws Exception {
        Map<String, Instant> out = new HashMap<>();
        long after = 0;
        for (int guard = 0; guard < 1_000; guard++) {
            JsonNode page = sync.get("/feed?after=" + after + "&limit=1000");
            for (JsonNode e : page.get("events")) {
                String key = e.path("accountKey").asText("");
                if (key.contains(":" + STORE + ":customer:") && e.path("type").asText().equals("identity.created")) {
                    out.put(key, Instant.parse(e.path("occurredAt").asText()));
                }
            }
            long next = page.path("next").asLong(after);
            if (page.get("events").isEmpty() || next == after) {
                return out;
            }
            after = next;
        }
        throw new AssertionError("feed did not end");
    }

    private JsonNode currentOperation() throws Exception {
        return new ShopifySandbox(shopify()).currentOperation();
    }

    /** Asks the sandbox shop about its bulk operations the way the Admin API answers them. */
    private record ShopifySandbox(Simulator sim) {
        String currentStatus() throws Exception {
            return ((com.commerceidentity.sandbox.shopify.ShopifySimulator) sim).currentBulkOperationStatus();
        }

        JsonNode currentOperation() throws Exception {
            var shop = (com.commerceidentity.sandbox.shopify.ShopifySimulator) sim;
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(shop.adminUrl("2025-07") + "/graphql.json"))
                    .header("X-Shopify-Access-Token", shop.accessToken()).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"query\":\"{ currentBulkOperation { id createdAt } }\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body()).path("data").path("currentBulkOperation");
        }
    }
}
