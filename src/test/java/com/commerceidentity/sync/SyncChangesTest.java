package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental sync against stores that change: creates, updates and deletes between runs and during a run,
 * records sharing one timestamp across a page boundary, records moving while we page, and a store that
 * misbehaves (5xx, slow answers, garbled pages). Small pages make every run cross many page boundaries.
 */
class SyncChangesTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "60");
        s.put("stores.bigcommerce-sandbox.sync.customers.page-size", "7");
        s.put("stores.medusa-sandbox.sync.customers.page-size", "7");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "100");
        s.put("stores.shopify-sandbox.sync.customers.page-size", "7");
        s.put("stores.shopify-sandbox.budget.leak-per-second", "40");
        s.put("sandbox.shopify.leakPerSecond", "40");
        s.put("stores.magento-sandbox.sync.customers.page-size", "7");
        s.put("stores.magento-sandbox.budget.requests-per-second", "100");
        s.put("camel.component.http.response-timeout", "1000");
        s.put("camel.component.http.so-timeout", "1000");
        s.put("stores.bc-second.platform", "bigcommerce");
        s.put("stores.bc-second.base-url", "http://127.0.0.1:0/stores/second");
        s.put("stores.bc-second.sandbox", "true");
        s.put("stores.bc-second.sync.customers.page-size", "9");
        // A Magento store configured the old way, through one store view's code: it sees that website only.
        s.put("stores.magento-one-view.platform", "magento");
        s.put("stores.magento-one-view.base-url", "http://127.0.0.1:0/rest/default");
        s.put("stores.magento-one-view.sandbox", "true");
        s.put("stores.magento-one-view.sync.cron", "0 0 0 1 1 ? 2099");
        sync = new SyncHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    private static String key(String store, JsonNode record) {
        return store.replace("-sandbox", "-sandbox") + ":" + record.path("id").asText();
    }

    @Test
    void createsUpdatesAndDeletedStatesBetweenRunsAreFedThrough() throws Exception {
        String store = "medusa-sandbox";
        sync.run(store, "customers");
        RecordControl records = sync.simulator(store).records();
        JsonNode created = records.create(RecordControl.CUSTOMER, json.createObjectNode()
                .put("email", "New.Person@Example.org").put("first_name", "New").put("last_name", "Person"));
        JsonNode changed = records.list(RecordControl.CUSTOMER).get(3);
        records.update(RecordControl.CUSTOMER, changed.path("id").asText(), json.createObjectNode()
                .put("first_name", "Renamed"));

        Map<String, Object> second = sync.run(store, "customers");
        assertThat(second).containsEntry("outcome", "completed");
        assertThat(sync.accountsAdded(store)).containsKey("medusa:" + store + ":customer:" + created.path("id").asText());
        assertThat(sync.accountEvents(store, "identity.updated"))
                .containsKey("medusa:" + store + ":customer:" + changed.path("id").asText());
    }

    @Test
    void recordsSharingOneTimestampAcrossPageBoundariesAreAllSeen() throws Exception {
        String store = "bigcommerce-sandbox";
        sync.run(store, "customers");
        RecordControl records = sync.simulator(store).records();
        List<String> ids = new ArrayList<>();
        // Updated together: they share a modification second, more of them than one page holds.
        for (JsonNode c : records.list(RecordControl.CUSTOMER).subList(10, 26)) {
            records.update(RecordControl.CUSTOMER, c.path("id").asText(), json.createObjectNode()
                    .put("last_name", "Boundary"));
            ids.add(c.path("id").asText());
        }
        Map<String, Object> run = sync.run(store, "customers");
        assertThat(run).containsEntry("outcome", "completed");
        Map<String, Integer> updated = sync.accountEvents(store, "identity.updated");
        for (String id : ids) {
            assertThat(updated).containsKey("bigcommerce:" + store + ":customer:" + id);
        }
    }

    @Test
    void aRecordMovingWhileWePageIsNeitherLostNorAddedTwice() throws Exception {
        String store = "shopify-sandbox";
        Simulator sim = sync.simulator(store);
        sim.faults().add(FaultType.MOVE_RECORD, "/admin/api/*/customers.json", 3);
        Map<String, Object> run = sync.run(store, "customers");
        assertThat(run).containsEntry("outcome", "completed");
        Map<String, Integer> added = sync.accountsAdded(store);
        assertThat(added).hasSize(sim.records().list(RecordControl.CUSTOMER).size());
        assertThat(added.values()).containsOnly(1);
    }

    @Test
    void serverErrorsSlowAnswersAndGarbledPagesAreRetriedAndTheRunCompletes() throws Exception {
        String store = "magento-sandbox";
        Simulator sim = sync.simulator(store);
        sim.faults().add(FaultType.SERVER_ERROR, "*/customers/search", 2);
        sim.faults().add(FaultType.SLOW, null, "*/customers/search", 1, 1500, 0);
        sim.faults().add(FaultType.MALFORMED_JSON, "*/customers/search", 1);
        sim.faults().add(FaultType.TRUNCATED_BODY, "*/customers/search", 1);
        Map<String, Object> run = sync.run(store, "customers");
        assertThat(run).containsEntry("outcome", "completed");
        assertThat((Long) run.get("retries")).isGreaterThanOrEqualTo(3);
        assertThat(sync.accountsAdded(store)).hasSize(((Long) run.get("total")).intValue());
        assertThat(sim.faults().armed()).isEmpty();
    }

    @Test
    void twoStoresOfOnePlatformAreSyncedSeparately() throws Exception {
        sync.run("bc-second", "customers");
        sync.run("bigcommerce-sandbox", "customers");
        int inSecond = sync.simulator("bc-second").records().list(RecordControl.CUSTOMER).size();
        assertThat(sync.accountsAdded("bc-second")).hasSize(inSecond)
                .allSatisfy((k, n) -> assertThat(k).startsWith("bigcommerce:bc-second:customer:"));
        JsonNode status = sync.get("/stores/bc-second/status");
        assertThat(status.at("/surfaces/customers/lastRun/outcome").asText()).isEqualTo("completed");
        assertThat(status.at("/surfaces/customers/lastRun/percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void staffSurfacesOfEveryPlatformSync() {
        assertThat(sync.run("shopify-sandbox", "staff")).containsEntry("outcome", "completed");
        assertThat(sync.run("medusa-sandbox", "users")).containsEntry("outcome", "completed");
        assertThat((Long) sync.run("shopify-sandbox", "staff").get("records")).isPositive();
        // Magento's admin users need an extension that adds /V1/users (stock 2.4.8 has none)
        Simulator magento = sync.simulator("magento-sandbox");
        magento.configure(json.createObjectNode().put("adminUsersEndpoint", true));
        try {
            Map<String, Object> staff = sync.run("magento-sandbox", "admin-users");
            assertThat(staff).containsEntry("outcome", "completed");
            assertThat((Long) staff.get("records")).isPositive();
        } finally {
            magento.configure(json.createObjectNode().put("adminUsersEndpoint", false));
        }
    }

    @Test
    void aSurfaceTheStoreDoesNotOfferIsReportedUnavailableWithoutFailingOthers() throws Exception {
        // a stock Magento store: no /V1/users
        Map<String, Object> run = sync.run("magento-sandbox", "admin-users");
        assertThat(run).containsEntry("outcome", "unavailable");
        assertThat((String) run.get("message")).contains("404").contains("a stock Magento 2.4 store has no admin-user REST endpoint");
        assertThat(sync.run("magento-sandbox", "admin-users")).containsEntry("outcome", "unavailable");
        assertThat(sync.run("magento-sandbox", "customers")).containsEntry("outcome", "completed");
    }

    @Test
    void aMagentoStoreReadThroughTheAllStoreCodeSeesEveryWebsiteAndOneStoreViewSeesOnlyItsOwn() throws Exception {
        List<JsonNode> all = sync.simulator("magento-sandbox").records().list(RecordControl.CUSTOMER);
        long firstWebsite = all.stream().filter(c -> c.path("website_id").asInt() == 1).count();
        assertThat(firstWebsite).isLessThan(all.size());

        assertThat(sync.run("magento-sandbox", "customers")).containsEntry("outcome", "completed");
        assertThat(sync.accountsAdded("magento-sandbox")).hasSize(all.size());

        assertThat(sync.run("magento-one-view", "customers")).containsEntry("outcome", "completed");
        assertThat(sync.accountsAdded("magento-one-view")).hasSize((int) firstWebsite);
    }

    @Test
    void accountsTheStoreNoLongerListsBecomeDeletionsAtTheNextReconciliation() throws Exception {
        String store = "medusa-sandbox";
        sync.run(store, "customers");
        RecordControl records = sync.simulator(store).records();
        List<JsonNode> all = records.list(RecordControl.CUSTOMER);
        String gone1 = all.get(1).path("id").asText();
        String gone2 = all.get(2).path("id").asText();
        records.delete(RecordControl.CUSTOMER, gone1);
        records.delete(RecordControl.CUSTOMER, gone2);

        Map<String, Object> check = sync.reconcile(store, "customers");
        assertThat(check).containsEntry("outcome", "completed").containsEntry("deleted", 2);
        assertThat(sync.accountEvents(store, "account.deleted")).containsOnlyKeys(
                "medusa:" + store + ":customer:" + gone1, "medusa:" + store + ":customer:" + gone2);
        assertThat(sync.reconcile(store, "customers")).as("a deleted account is deleted once").containsEntry("deleted", 0);
        assertThat(sync.get("/stores/" + store + "/status").at("/surfaces/customers/lastReconcile/deleted").asInt())
                .isZero();
    }

    @Test
    void aListingThatWouldDeleteMostOfAStoreIsRefusedAsAnOutage() throws Exception {
        String store = "bigcommerce-sandbox";
        sync.run(store, "customers");
        sync.simulator(store).faults().add(FaultType.EMPTY_PAGE, "*/v3/customers", 1);
        Map<String, Object> check = sync.reconcile(store, "customers");
        assertThat(check).containsEntry("outcome", "failed").containsEntry("deleted", 0);
        assertThat((String) check.get("message")).contains("looks like an outage");
        assertThat(sync.accountEvents(store, "account.deleted")).isEmpty();
    }
}
