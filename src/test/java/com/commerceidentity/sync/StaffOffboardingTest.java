package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.FaultType;
import com.commerceidentity.sandbox.RecordControl;
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
 * Issue #15 part 3: a staff user removed on any platform is account.deleted in the feed after the next run of
 * that surface (no daily reconcile to wait for); a deactivated one is a status change at once; a listing that
 * fails or comes back short deletes nobody.
 */
class StaffOffboardingTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "10");
        s.put("sandbox.staff", "12");
        // Magento with a module that adds /V1/users (stock 2.4.8 has none, and its staff surface is unavailable)
        s.put("sandbox.magento.adminUsersEndpoint", "true");
        // small pages: every staff listing crosses page boundaries
        s.put("stores.medusa-sandbox.sync.users.page-size", "5");
        s.put("stores.magento-sandbox.sync.admin-users.page-size", "5");
        s.put("stores.woocommerce-sandbox.sync.administrators.page-size", "5");
        s.put("stores.woocommerce-sandbox.sync.shop-managers.page-size", "5");
        s.put("stores.shopify-sandbox.sync.staff.page-size", "5");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "100");
        s.put("stores.magento-sandbox.budget.requests-per-second", "100");
        s.put("stores.woocommerce-sandbox.budget.requests-per-second", "100");
        // a staff cron of its own (far away, so it never fires during the tests)
        s.put("stores.magento-sandbox.sync.staff-cron", "0 0 0 1 1 ? 2098");
        sync = new SyncHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    @Test
    void aStaffUserDeletedOnShopifyIsDeletedAfterTheNextStaffRun() throws Exception {
        deletedAfterNextRun("shopify-sandbox", "staff", "id");
    }

    @Test
    void aStaffUserDeletedOnMagentoIsDeletedAfterTheNextStaffRun() throws Exception {
        deletedAfterNextRun("magento-sandbox", "admin-users", "user_id");
    }

    @Test
    void aStaffUserDeletedOnMedusaIsDeletedAfterTheNextStaffRun() throws Exception {
        deletedAfterNextRun("medusa-sandbox", "users", "id");
    }

    @Test
    void aStaffUserDeletedOnWooCommerceIsDeletedAfterTheNextStaffRun() throws Exception {
        String store = "woocommerce-sandbox";
        sync.run(store, "administrators");
        sync.run(store, "shop-managers");
        RecordControl records = sync.simulator(store).records();
        List<JsonNode> staff = records.list(RecordControl.STAFF);
        JsonNode manager = staff.stream().filter(u -> u.path("role").asText().equals("shop_manager")).findFirst().orElseThrow();
        JsonNode admin = staff.stream().filter(u -> u.path("role").asText().equals("administrator")).findFirst().orElseThrow();
        records.delete(RecordControl.STAFF, manager.path("id").asText());

        // The administrators run lists the shop managers with it: only the deleted one goes, the others stay.
        assertThat(sync.run(store, "administrators")).containsEntry("outcome", "completed");
        assertThat(staffEvents(store, "account.deleted")).containsExactly(key(store, manager.path("id").asText()));
        assertThat(sync.reconcileOf(store, "administrators")).containsEntry("outcome", "completed").containsEntry("deleted", 1);
        assertThat(admin.path("id").asText()).isNotEmpty();
    }

    @Test
    void staffSurfacesRunOnTheStaffCronAndDeleteAfterEachRun() throws Exception {
        JsonNode status = sync.get("/stores/magento-sandbox/status");
        assertThat(status.at("/surfaces/admin-users/cron").asText()).isEqualTo("0 0 0 1 1 ? 2098");
        assertThat(status.at("/surfaces/admin-users/deletes").asText()).isEqualTo("after each run");
        assertThat(status.at("/surfaces/customers/cron").asText()).isEqualTo("0 0 0 1 1 ? 2099");
        assertThat(status.at("/surfaces/customers/reconcileCron").asText()).isNotBlank();
        assertThat(sync.app.context().getRoute("reconcile-magento-sandbox-admin-users")).isNull();
        assertThat(sync.app.context().getRoute("reconcile-magento-sandbox-customers")).isNotNull();
    }

    @Test
    void aDisabledStaffUserIsAStatusChangeAtTheNextRun() throws Exception {
        String store = "magento-sandbox";
        sync.run(store, "admin-users");
        RecordControl records = sync.simulator(store).records();
        String id = records.list(RecordControl.STAFF).get(4).path("user_id").asText();
        records.update(RecordControl.STAFF, id, json.createObjectNode().put("is_active", 0));

        assertThat(sync.run(store, "admin-users")).containsEntry("outcome", "completed");
        List<JsonNode> events = staffEventNodes(store, "identity.updated");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("accountKey").asText()).isEqualTo(key(store, id));
            assertThat(e.toString()).contains("disabled");
        });
    }

    @Test
    void aDeactivatedShopifyStaffMemberIsAStatusChangeAtTheNextRun() throws Exception {
        String store = "shopify-sandbox";
        sync.run(store, "staff");
        RecordControl records = sync.simulator(store).records();
        String id = records.list(RecordControl.STAFF).stream()
                .filter(m -> m.path("active").asBoolean() && m.path("accountType").asText().equals("REGULAR"))
                .findFirst().orElseThrow().path("id").asText();
        records.update(RecordControl.STAFF, id, json.createObjectNode().put("active", false));

        assertThat(sync.run(store, "staff")).containsEntry("outcome", "completed");
        assertThat(staffEventNodes(store, "identity.updated")).anySatisfy(e -> {
            assertThat(e.path("accountKey").asText()).isEqualTo(key(store, id));
            assertThat(e.toString()).contains("disabled");
        });
        assertThat(staffEvents(store, "account.deleted")).doesNotContain(key(store, id));
    }

    @Test
    void aListingThatFailsPartWayDeletesNobody() throws Exception {
        String store = "medusa-sandbox";
        sync.run(store, "users");
        RecordControl records = sync.simulator(store).records();
        String gone = records.list(RecordControl.STAFF).stream().filter(u -> u.path("deleted_at").isNull())
                .reduce((a, b) -> b).orElseThrow().path("id").asText();
        records.delete(RecordControl.STAFF, gone);
        List<String> before = staffEvents(store, "account.deleted");

        // the second page of the deletion listing (after the run's own pages) fails, retries included
        sync.simulator(store).faults().add(FaultType.SERVER_ERROR, "/admin/users", 50).passFirst(3 + 1);
        sync.run(store, "users");
        assertThat(staffEvents(store, "account.deleted")).isEqualTo(before);
        assertThat(sync.reconcileOf(store, "users")).containsEntry("deleted", 0);
        sync.simulator(store).faults().clear();

        // the last page of the deletion listing comes back empty: 10 of the 11 listed, too few to look like an
        // outage, but the listing is short, so nobody is deleted
        sync.simulator(store).faults().add(FaultType.EMPTY_PAGE, "/admin/users", 1).passFirst(3 + 2);
        sync.run(store, "users");
        assertThat(staffEvents(store, "account.deleted")).isEqualTo(before);
        assertThat((String) sync.reconcileOf(store, "users").get("message")).contains("incomplete");

        // whole again: the deleted one goes
        sync.simulator(store).faults().clear();
        sync.run(store, "users");
        assertThat(staffEvents(store, "account.deleted")).contains(key(store, gone));
    }

    private void deletedAfterNextRun(String store, String surface, String idField) throws Exception {
        assertThat(sync.run(store, surface)).containsEntry("outcome", "completed");
        RecordControl records = sync.simulator(store).records();
        List<JsonNode> staff = records.list(RecordControl.STAFF);
        String id = staff.get(staff.size() / 2).path(idField).asText();
        List<String> before = staffEvents(store, "account.deleted");
        assertThat(records.delete(RecordControl.STAFF, id)).isTrue();

        assertThat(sync.run(store, surface)).containsEntry("outcome", "completed");
        List<String> deleted = new ArrayList<>(staffEvents(store, "account.deleted"));
        deleted.removeAll(before);
        assertThat(deleted).containsExactly(key(store, id));
        assertThat(sync.reconcileOf(store, surface)).containsEntry("outcome", "completed").containsEntry("deleted", 1);

        assertThat(sync.run(store, surface)).containsEntry("outcome", "completed");
        assertThat(staffEvents(store, "account.deleted")).as("deleted once").hasSize(before.size() + 1);
    }

    /** The staff account key of {@code id} as the feed writes it (Shopify's is the StaffMember gid). */
    private String key(String store, String id) throws Exception {
        String platform = store.substring(0, store.indexOf('-'));
        for (JsonNode e : allEvents()) {
            String k = e.path("accountKey").asText("");
            if (k.startsWith(platform + ":" + store + ":staff:") && (k.endsWith(":" + id) || k.endsWith("/" + id))) {
                return k;
            }
        }
        throw new AssertionError("no staff account " + id + " of " + store + " in the feed");
    }

    private List<String> staffEvents(String store, String type) throws Exception {
        return staffEventNodes(store, type).stream().map(e -> e.path("accountKey").asText()).toList();
    }

    private List<JsonNode> staffEventNodes(String store, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : allEvents()) {
            if (e.path("accountKey").asText("").contains(":" + store + ":staff:") && e.path("type").asText().equals(type)) {
                out.add(e);
            }
        }
        return out;
    }

    private List<JsonNode> allEvents() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        for (int guard = 0; guard < 1000; guard++) {
            JsonNode page = sync.get("/feed?after=" + after + "&limit=1000");
            page.get("events").forEach(out::add);
            long next = page.path("next").asLong(after);
            if (page.get("events").isEmpty() || next == after) {
                return out;
            }
            after = next;
        }
        throw new AssertionError("feed did not end");
    }
}
