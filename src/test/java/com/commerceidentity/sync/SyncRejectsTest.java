package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.platform.SourceTimestamps;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store sends a record whose update time or id cannot be read (the simulators' {@code BAD_FIELD} fault, as a
 * mock generated from the platform's spec sends {@code "updated_at": "exercitation"}): the record is a reject in
 * the run's status and the surface's rejects file, the run completes, and the watermark reaches the newest good
 * record.
 */
class SyncRejectsTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "30");
        s.put("stores.magento-sandbox.sync.customers.page-size", "7");
        s.put("stores.magento-sandbox.budget.requests-per-second", "100");
        s.put("stores.bigcommerce-sandbox.sync.customers.page-size", "7");
        s.put("stores.medusa-sandbox.sync.customers.page-size", "7");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "100");
        s.put("stores.shopify-sandbox.budget.leak-per-second", "40");
        s.put("sandbox.shopify.leakPerSecond", "40");
        sync = new SyncHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    private List<JsonNode> rejects(String store) throws Exception {
        Path file = dir.resolve("data").resolve("rejects").resolve("sync").resolve(store).resolve("customers.rejects.ndjson");
        assertThat(file).exists();
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** The newest update time the store lists for its customers. */
    private Instant newest(String store, String field) {
        return sync.simulator(store).records().list(RecordControl.CUSTOMER).stream()
                .map(r -> SourceTimestamps.parse(field, r.path(field).asText(null)))
                .filter(Objects::nonNull).max(Instant::compareTo).orElseThrow();
    }

    private void badTimestampIsARejectAndTheRunGoesOn(String platform, String field, String path) throws Exception {
        String store = platform + "-sandbox";
        Simulator sim = sync.simulator(store);
        sim.faults().addBadField(path, 1, 1, field, TextNode.valueOf("exercitation"));

        Map<String, Object> run = sync.run(store, "customers");

        assertThat(run).containsEntry("outcome", "completed").containsEntry("rejected", 1L);
        assertThat((long) run.get("records")).isGreaterThan(0);
        assertThat(Instant.parse((String) run.get("watermark"))).isEqualTo(newest(store, field));
        List<JsonNode> rejects = rejects(store);
        assertThat(rejects).hasSize(1);
        JsonNode reject = rejects.get(0);
        assertThat(reject.path("platform").asText()).isEqualTo(platform);
        assertThat(reject.path("store").asText()).isEqualTo(store);
        assertThat(reject.path("surface").asText()).isEqualTo("customers");
        assertThat(reject.path("page").asLong()).isEqualTo(1);
        assertThat(reject.path("index").asInt()).isEqualTo(1);
        assertThat(reject.path("id").asText()).isNotBlank();
        assertThat(reject.path("field").asText()).isEqualTo(field);
        assertThat(reject.path("reason").asText()).contains("exercitation");
        assertThat(reject.path("record").path(field).asText()).isEqualTo("exercitation");

        // nothing changed since: the next runs find nothing new and keep the watermark where it is
        for (int i = 0; i < 2; i++) {
            Map<String, Object> quiet = sync.run(store, "customers");
            assertThat(quiet).containsEntry("outcome", "completed").containsEntry("rejected", 0L);
            assertThat(quiet.get("watermark")).isEqualTo(run.get("watermark"));
        }
    }

    @Test
    void magentoRecordWithUpdatedAtExercitation() throws Exception {
        badTimestampIsARejectAndTheRunGoesOn("magento", "updated_at", "*customers/search");
    }

    @Test
    void bigcommerceRecordWithUnreadableDateModified() throws Exception {
        badTimestampIsARejectAndTheRunGoesOn("bigcommerce", "date_modified", "*customers");
    }

    @Test
    void medusaRecordWithUnreadableUpdatedAt() throws Exception {
        badTimestampIsARejectAndTheRunGoesOn("medusa", "updated_at", "*customers");
    }

    @Test
    void shopifyRecordWithoutAnIdIsAReject() throws Exception {
        String store = "shopify-sandbox";
        sync.simulator(store).faults().addBadField("*customers.json", 1, 2, "id", null);
        Map<String, Object> run = sync.run(store, "customers");
        assertThat(run).containsEntry("outcome", "completed").containsEntry("rejected", 1L);
        JsonNode reject = rejects(store).get(0);
        assertThat(reject.path("field").asText()).isEqualTo("id");
        assertThat(reject.path("reason").asText()).isEqualTo("missing");
        assertThat(reject.path("index").asInt()).isEqualTo(2);
        assertThat(reject.has("id")).isFalse();
        assertThat(Instant.parse((String) run.get("watermark"))).isEqualTo(newest(store, "updated_at"));
    }
}
