package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Surface;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access facts (issue #15): stored with the account, shown in its snapshot, and a change of them is its own event. */
class AccountAccessTest {
    private static final Platform SHOPIFY = Platform.of("shopify");
    private static final Access OWNER = new Access("REGULAR", true, List.of(), null, null, null);

    @TempDir
    Path dir;

    private Account staff(GraphFixture f, String firstName, Access access) {
        return Account.builder(new AccountKey(SHOPIFY, "main", Kind.STAFF, "gid://shopify/StaffMember/7"))
                .email("ada@shop.io").firstName(firstName).surface(Surface.GRAPHQL).access(access)
                .build(f.normalizer);
    }

    @Test
    void anAccessOnlyChangeIsOneAccessChangedEventWithBeforeAndAfterAndAReReadIsSilent() throws Exception {
        try (GraphFixture f = new GraphFixture(dir, false)) {
            f.apply(staff(f, "Ada", new Access("REGULAR", false, List.of(), null, null, null)));

            List<FeedEvent> promoted = f.apply(staff(f, "Ada", OWNER));
            List<FeedEvent> reRead = f.apply(staff(f, "Ada", OWNER));

            assertThat(f.types(promoted)).containsExactly(FeedEvent.ACCOUNT_ACCESS_CHANGED);
            JsonNode event = f.payload(promoted.get(0));
            assertThat(event.at("/access/before/owner").asBoolean()).isFalse();
            assertThat(event.at("/access/after/owner").asBoolean()).isTrue();
            assertThat(event.at("/access/after/accountType").asText()).isEqualTo("REGULAR");
            assertThat(event.at("/cause/reason").asText()).isEqualTo("access-changed");
            assertThat(event.at("/identity/accounts/0/access/owner").asBoolean())
                    .as("the snapshot shows the access after the change").isTrue();
            assertThat(reRead).as("an unchanged re-read").isEmpty();
        }
    }

    @Test
    void accessAndNameChangingTogetherIsTheUpdateFirstThenTheAccessChange() throws Exception {
        try (GraphFixture f = new GraphFixture(dir, false)) {
            f.apply(staff(f, "Ada", new Access("COLLABORATOR", false, List.of(), null, null, null)));

            List<FeedEvent> events = f.apply(staff(f, "Augusta", OWNER));

            assertThat(f.types(events)).containsExactly(FeedEvent.IDENTITY_UPDATED, FeedEvent.ACCOUNT_ACCESS_CHANGED);
            assertThat(f.payload(events.get(1)).at("/access/before/accountType").asText()).isEqualTo("COLLABORATOR");
        }
    }

    @Test
    void aFactAnObservationDoesNotShowKeepsTheValueHeldInsteadOfReadingAsRemoved() throws Exception {
        try (GraphFixture f = new GraphFixture(dir, false)) {
            Access tagged = new Access(null, null, null, "enabled", List.of("wholesale", "VIP"), null);
            f.apply(staff(f, "Ada", tagged));

            // e.g. a Shopify customers/update webhook: state, but no tags since API 2025-01
            List<FeedEvent> withoutTags = f.apply(staff(f, "Ada", new Access(null, null, null, "enabled", null, null)));
            List<FeedEvent> disabled = f.apply(staff(f, "Ada", new Access(null, null, null, "disabled", null, null)));

            assertThat(withoutTags).isEmpty();
            assertThat(f.types(disabled)).containsExactly(FeedEvent.ACCOUNT_ACCESS_CHANGED);
            JsonNode after = f.payload(disabled.get(0)).at("/access/after");
            assertThat(after.get("state").asText()).isEqualTo("disabled");
            assertThat(after.get("tags")).extracting(JsonNode::asText).containsExactly("VIP", "wholesale");
        }
    }

    @Test
    void anErasureDropsTheAccessFactsFromTheAccountAndFromItsEarlierAccessChanges() throws Exception {
        try (GraphFixture f = new GraphFixture(dir, false)) {
            f.apply(staff(f, "Ada", new Access(null, null, null, "enabled", List.of("allergic to nuts"), null)));
            Account tagged = staff(f, "Ada", new Access(null, null, null, "enabled", List.of("nut allergy"), null));
            f.apply(tagged);

            IdentityGraph.Erasure erasure = f.graph.erase(Deletions.erasures(f.store,
                    List.of(tagged.key().toString()), Instant.parse("2030-01-01T00:00:00Z"), Surface.WEBHOOK, "test"));

            assertThat(f.types(erasure.events())).containsExactly(FeedEvent.ACCOUNT_ERASED, FeedEvent.IDENTITY_DELETED);
            assertThat(f.payload(erasure.events().get(0)).at("/identity/accounts/0").has("access")).isFalse();
            assertThat(erasure.scrubbed()).extracting(FeedEvent::type)
                    .containsExactly(FeedEvent.IDENTITY_CREATED, FeedEvent.ACCOUNT_ACCESS_CHANGED);
            for (FeedEvent earlier : erasure.scrubbed()) {
                assertThat(earlier.json()).doesNotContain("allergy", "allergic");
            }
        }
    }

    @Test
    void accessFactsSurviveARestart() throws Exception {
        Access customer = new Access(null, null, null, "enabled", List.of("b2b", "Léon, Noël"), "3");
        try (GraphFixture f = new GraphFixture(dir, false)) {
            f.apply(staff(f, "Ada", customer));
        }
        try (GraphFixture reopened = new GraphFixture(dir, false)) {
            try (Connection c = reopened.store.connection()) {
                Account held = reopened.store.accountsByKeys(c, List.of("shopify:main:staff:gid://shopify/StaffMember/7"))
                        .get(0).account();
                assertThat(held.access()).isEqualTo(customer);
                assertThat(held.access().tags()).as("a tag may hold a comma").containsExactly("Léon, Noël", "b2b");
            }
            assertThat(reopened.apply(staff(reopened, "Ada", customer))).isEmpty();
        }
    }

    @Test
    void aDatabaseWrittenBeforeAccessFactsOpensAndItsAccountsLearnThemOnTheNextRead() throws Exception {
        DataSource old = TestDatabase.fresh(dir);
        Flyway.configure().dataSource(old).locations("classpath:db/migration").target("4").load().migrate();
        try (Connection c = old.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO identities (id, merged_into, deleted, created_at, updated_at) VALUES ('idn_1', NULL, FALSE,"
                        + " TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00');"
                        + "INSERT INTO accounts (account_key, identity_id, email_raw, email_norm, first_name, status,"
                        + " surface, link_rule, linked_at) VALUES ('shopify:main:staff:gid://shopify/StaffMember/7',"
                        + " 'idn_1', 'ada@shop.io', 'ada@shop.io', 'Ada', 'active', 'graphql', 'first',"
                        + " TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00')")) {
            ps.execute();
        }
        TestDatabase.close(old);

        try (GraphFixture f = new GraphFixture(dir, false)) {
            List<FeedEvent> events = f.apply(staff(f, "Ada", OWNER));

            assertThat(f.types(events)).containsExactly(FeedEvent.ACCOUNT_ACCESS_CHANGED);
            JsonNode event = f.payload(events.get(0));
            assertThat(event.at("/access/before").isEmpty()).as("nothing was known before").isTrue();
            assertThat(event.at("/identityId").asText()).isEqualTo("idn_1");
        }
    }
}
