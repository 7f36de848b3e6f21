package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.medusa.MedusaSimulator;
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
 * Issue #15 part 4, end to end against the stock simulators: the feed tells who is admin where (a Shopify shop owner,
 * a customer's tags), a change of access is an account.access_changed of its own, and a Medusa invite is pending
 * staff until it is accepted, when the new user joins the person and the invite ends.
 */
class AccessFactsSyncTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "12");
        s.put("sandbox.staff", "6");
        s.put("stores.medusa-sandbox.budget.requests-per-second", "100");
        sync = new SyncHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    @Test
    void theShopOwnerAndEachStaffMembersAccountTypeAreInTheFeed() throws Exception {
        assertThat(sync.run("shopify-sandbox", "staff")).containsEntry("outcome", "completed");

        List<JsonNode> staff = latestAccounts("shopify-sandbox", "staff");
        assertThat(staff).hasSize(6);
        assertThat(staff).filteredOn(a -> a.at("/access/owner").asBoolean())
                .singleElement().satisfies(owner -> {
                    assertThat(owner.path("sourceId").asText()).isEqualTo("gid://shopify/StaffMember/902541635");
                    assertThat(owner.at("/access/accountType").asText()).isEqualTo("REGULAR");
                });
        assertThat(staff).extracting(a -> a.at("/access/accountType").asText()).contains("COLLABORATOR");
    }

    @Test
    void aCustomerRetaggedInTheShopIsOneAccessChangeAtTheNextRun() throws Exception {
        String store = "shopify-sandbox";
        sync.run(store, "customers");
        List<JsonNode> customers = latestAccounts(store, "customer");
        assertThat(customers).extracting(a -> a.at("/access/tags").toString()).contains("[\"VIP\",\"wholesale\"]");
        assertThat(customers).allSatisfy(a -> assertThat(a.at("/access/state").asText()).isNotEmpty());
        JsonNode target = customers.stream().filter(a -> a.at("/access/tags").isEmpty()).findFirst().orElseThrow();
        long before = lastSeq();

        sync.simulator(store).records().update(RecordControl.CUSTOMER, target.path("sourceId").asText(),
                json.createObjectNode().put("tags", "wholesale, reviewed"));
        assertThat(sync.run(store, "customers")).containsEntry("outcome", "completed");

        List<JsonNode> events = eventsAfter(before);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("account.access_changed");
        assertThat(events.get(0).path("accountKey").asText()).isEqualTo(target.path("key").asText());
        assertThat(events.get(0).at("/access/before/tags")).isEmpty();
        assertThat(events.get(0).at("/access/after/tags").toString()).isEqualTo("[\"reviewed\",\"wholesale\"]");

        assertThat(sync.run(store, "customers")).containsEntry("outcome", "completed");
        assertThat(eventsAfter(events.get(0).path("seq").asLong())).as("a re-read").isEmpty();
    }

    @Test
    void aMedusaInviteIsPendingStaffUntilAcceptedThenTheUserJoinsThePersonAndTheInviteEnds() throws Exception {
        String store = "medusa-sandbox";
        MedusaSimulator medusa = (MedusaSimulator) sync.simulator(store);
        assertThat(medusa.pendingInvites()).as("a stock store has pending invites").isNotEmpty();
        String inviteId = medusa.invite("grace.hopper@fjordmail.no").path("id").asText();

        assertThat(sync.run(store, "invites")).containsEntry("outcome", "completed");
        JsonNode pending = latestAccount(store + ":staff:" + inviteId);
        assertThat(pending.path("status").asText()).isEqualTo("invited");
        assertThat(pending.at("/access/accountType").asText()).isEqualTo("invite");
        assertThat(latestAccounts(store, "staff")).as("every stock invite is pending staff too")
                .hasSize(medusa.pendingInvites().size());

        String userId = medusa.acceptInvite(inviteId, "Grace", "Hopper").path("id").asText();
        long before = lastSeq();
        assertThat(sync.run(store, "users")).containsEntry("outcome", "completed");

        List<JsonNode> events = eventsAfter(before);
        JsonNode linked = events.stream().filter(e -> e.path("accountKey").asText().endsWith(":" + userId))
                .findFirst().orElseThrow();
        assertThat(linked.path("type").asText()).isEqualTo("account.linked");
        JsonNode ended = events.stream().filter(e -> e.path("accountKey").asText().endsWith(":" + inviteId))
                .findFirst().orElseThrow();
        assertThat(ended.path("type").asText()).as("the staff run's listing no longer shows the invite")
                .isEqualTo("account.deleted");
        assertThat(ended.path("identityId").asText()).isEqualTo(linked.path("identityId").asText());
        assertThat(sync.reconcileOf(store, "users")).containsEntry("listedWith", List.of("invites"));
    }

    // ---- the feed, read as a consumer does ------------------------------------------------------------------

    private List<JsonNode> eventsAfter(long after) throws Exception {
        List<JsonNode> out = new ArrayList<>();
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

    private long lastSeq() throws Exception {
        List<JsonNode> all = eventsAfter(0);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("seq").asLong();
    }

    /** Each live account of a store and kind as the newest event shows it. */
    private List<JsonNode> latestAccounts(String store, String kind) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        for (JsonNode e : eventsAfter(0)) {
            for (JsonNode a : e.at("/identity/accounts")) {
                if (a.path("key").asText().startsWith(platformOf(store) + ":" + store + ":" + kind + ":")) {
                    latest.put(a.path("key").asText(), a);
                }
            }
        }
        return latest.values().stream().filter(a -> !a.path("status").asText().equals("deleted")).toList();
    }

    private JsonNode latestAccount(String keyTail) throws Exception {
        JsonNode found = null;
        for (JsonNode e : eventsAfter(0)) {
            for (JsonNode a : e.at("/identity/accounts")) {
                if (a.path("key").asText().endsWith(keyTail)) {
                    found = a;
                }
            }
        }
        assertThat(found).as("an account " + keyTail + " in the feed").isNotNull();
        return found;
    }

    private static String platformOf(String store) {
        return store.substring(0, store.indexOf('-'));
    }
}
