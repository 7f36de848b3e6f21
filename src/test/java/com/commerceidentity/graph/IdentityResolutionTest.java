package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityResolutionTest {
    private static final Platform SHOPIFY = Platform.of("shopify");
    private static final Platform BIGCOMMERCE = Platform.of("bigcommerce");
    private static final Platform MAGENTO = Platform.of("magento");

    @TempDir
    Path dir;
    GraphFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new GraphFixture(dir, false);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void accountsWithTheSameNormalizedEmailBecomeOneIdentityWithEvidence() throws Exception {
        Account shop = f.account(SHOPIFY, "1", " Ada.Lovelace@Example.org ", "2024-01-01T00:00:00Z");
        Account big = f.account(BIGCOMMERCE, "7", "ada.lovelace@example.ORG", "2024-02-01T00:00:00Z");

        List<FeedEvent> first = f.apply(shop);
        List<FeedEvent> second = f.apply(big);

        assertThat(f.types(first)).containsExactly(FeedEvent.IDENTITY_CREATED);
        assertThat(f.types(second)).containsExactly(FeedEvent.ACCOUNT_LINKED);
        assertThat(f.identityOf(big)).isEqualTo(f.identityOf(shop));
        JsonNode identity = f.payload(second.get(0)).get("identity");
        assertThat(identity.get("accounts")).hasSize(2);
        assertThat(identity.get("accounts").findValuesAsText("rule")).containsOnly("email");
        assertThat(identity.get("accounts").findValuesAsText("value")).containsOnly("ada.lovelace@example.org");
        assertThat(second.get(0).seq()).isEqualTo(first.get(0).seq() + 1);
    }

    @Test
    void goldenAttributesTakeTheNewestNonEmptyValue() throws Exception {
        Account older = f.account(SHOPIFY, "1", "ada@example.net", "+1 415 555 0100", "2024-01-01T00:00:00Z",
                AccountStatus.ACTIVE);
        Account newer = f.account(MAGENTO, "9", "ADA@example.net", null, "2024-03-01T00:00:00Z", AccountStatus.ACTIVE);
        f.apply(older);
        List<FeedEvent> events = f.apply(newer);

        JsonNode golden = f.payload(events.get(0)).at("/identity/golden");
        assertThat(golden.get("firstName").asText()).isEqualTo("F9");
        assertThat(golden.get("phone").asText()).as("newest has no phone, so the older one fills in")
                .isEqualTo("+14155550100");
    }

    @Test
    void anAccountMatchingTwoIdentitiesMergesThemAndTheOlderIdSurvives() throws Exception {
        Account a = f.account(SHOPIFY, "1", "a@shop.io", null, "2024-01-01T00:00:00Z", AccountStatus.ACTIVE);
        Account b = f.account(BIGCOMMERCE, "2", "b@shop.io", "+14155550199", "2024-01-01T00:00:00Z", AccountStatus.ACTIVE);
        f.apply(a);
        f.apply(b);
        String survivor = f.identityOf(a);
        String loser = f.identityOf(b);
        assertThat(survivor).isNotEqualTo(loser);

        try (GraphFixture phones = new GraphFixture(dir.resolve("p"), true)) {
            phones.apply(a);
            phones.apply(b);
            String older = phones.identityOf(a);
            String younger = phones.identityOf(b);
            Account bridge = phones.account(MAGENTO, "3", "a@shop.io", "415-555-0199", "2024-05-01T00:00:00Z",
                    AccountStatus.ACTIVE);

            List<FeedEvent> events = phones.apply(bridge);

            assertThat(phones.types(events)).containsExactly(FeedEvent.IDENTITY_MERGED, FeedEvent.ACCOUNT_LINKED);
            JsonNode merged = phones.payload(events.get(0));
            assertThat(merged.get("identityId").asText()).isEqualTo(older);
            assertThat(merged.get("mergedIds").get(0).asText()).isEqualTo(younger);
            assertThat(phones.identityOf(b)).isEqualTo(older);
            assertThat(phones.store.identity(younger).mergedInto()).isEqualTo(older);
        }
    }

    @Test
    void anEmailChangeSplitsTheAccountOffWhenThatWasItsOnlyTie() throws Exception {
        Account a = f.account(SHOPIFY, "1", "pat@corp.io", "2024-01-01T00:00:00Z");
        Account b = f.account(MAGENTO, "2", "pat@corp.io", "2024-01-02T00:00:00Z");
        f.apply(a, b);
        String shared = f.identityOf(a);
        assertThat(f.identityOf(b)).isEqualTo(shared);

        Account bMoved = f.account(MAGENTO, "2", "pat.new@corp.io", "2024-02-01T00:00:00Z");
        List<FeedEvent> events = f.apply(bMoved);

        assertThat(f.types(events)).containsExactly(FeedEvent.ACCOUNT_UNLINKED, FeedEvent.IDENTITY_CREATED);
        assertThat(f.identityOf(a)).as("the unchanged account keeps the id").isEqualTo(shared);
        assertThat(f.identityOf(bMoved)).isNotEqualTo(shared);
        assertThat(f.payload(events.get(0)).at("/identity/accounts")).hasSize(1);
    }

    @Test
    void anEmailChangeIntoAnotherIdentityRelinksIt() throws Exception {
        Account a = f.account(SHOPIFY, "1", "x@corp.io", "2024-01-01T00:00:00Z");
        Account b = f.account(SHOPIFY, "2", "y@corp.io", "2024-01-01T00:00:00Z");
        Account c = f.account(MAGENTO, "3", "x@corp.io", "2024-01-01T00:00:00Z");
        f.apply(a, b, c);
        List<FeedEvent> events = f.apply(f.account(MAGENTO, "3", "y@corp.io", "2024-03-01T00:00:00Z"));

        assertThat(f.types(events)).containsExactly(FeedEvent.ACCOUNT_UNLINKED, FeedEvent.ACCOUNT_LINKED);
        assertThat(f.identityOf(c)).isEqualTo(f.identityOf(b)).isNotEqualTo(f.identityOf(a));
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        Account newer = f.account(SHOPIFY, "1", "new@corp.io", "2024-05-01T00:00:00Z");
        Account older = f.account(SHOPIFY, "1", "old@corp.io", "2024-04-01T00:00:00Z");
        f.apply(newer);

        assertThat(f.apply(older)).isEmpty();
        assertThat(f.store.identityIdsByEmail("old@corp.io")).isEmpty();
        assertThat(f.store.identityIdsByEmail("new@corp.io")).hasSize(1);
        assertThat(f.graph.stats().stale()).isEqualTo(1);
    }

    @Test
    void anUpdateThatChangesNothingCanonicalEmitsNothing() throws Exception {
        f.apply(f.account(SHOPIFY, "1", "same@corp.io", "2024-05-01T00:00:00Z"));
        assertThat(f.apply(f.account(SHOPIFY, "1", "same@corp.io", "2024-06-01T00:00:00Z"))).isEmpty();
        assertThat(f.apply(f.account(SHOPIFY, "1", "same@corp.io", "2024-05-15T00:00:00Z")))
                .as("the silent update still raised the version, so this is stale").isEmpty();
        assertThat(f.graph.stats().stale()).isEqualTo(1);
    }

    @Test
    void blockedAndMissingEmailsNeverMerge() throws Exception {
        Account a = f.account(SHOPIFY, "1", "noreply@shop.io", "2024-01-01T00:00:00Z");
        Account b = f.account(MAGENTO, "2", "NoReply@shop.io", "2024-01-01T00:00:00Z");
        Account c = f.account(SHOPIFY, "3", null, "2024-01-01T00:00:00Z");
        Account d = f.account(MAGENTO, "4", "  ", "2024-01-01T00:00:00Z");
        List<FeedEvent> events = f.apply(a, b, c, d);

        assertThat(f.types(events)).containsOnly(FeedEvent.IDENTITY_CREATED).hasSize(4);
        assertThat(f.counts().get("identities")).isEqualTo(4);
    }

    @Test
    void deletingTheOnlyAccountDeletesTheIdentity() throws Exception {
        Account a = f.account(SHOPIFY, "1", "gone@corp.io", "2024-01-01T00:00:00Z");
        f.apply(a);
        List<FeedEvent> events = f.apply(f.account(SHOPIFY, "1", "gone@corp.io", null, "2024-02-01T00:00:00Z",
                AccountStatus.DELETED));

        assertThat(f.types(events)).containsExactly(FeedEvent.ACCOUNT_DELETED, FeedEvent.IDENTITY_DELETED);
        assertThat(f.store.identity(f.identityOf(a)).deleted()).isTrue();
    }

    @Test
    void deletingTheBridgeAccountSplitsWhatOnlyItHeldTogether() throws Exception {
        try (GraphFixture p = new GraphFixture(dir.resolve("bridge"), true)) {
            Account a = p.account(SHOPIFY, "1", "kim@corp.io", null, "2024-01-01T00:00:00Z", AccountStatus.ACTIVE);
            Account bridge = p.account(MAGENTO, "2", "kim@corp.io", "+14155550123", "2024-01-01T00:00:00Z",
                    AccountStatus.ACTIVE);
            Account c = p.account(BIGCOMMERCE, "3", "other@corp.io", "+1 415 555 0123", "2024-01-01T00:00:00Z",
                    AccountStatus.ACTIVE);
            p.apply(a, bridge, c);
            assertThat(p.identityOf(c)).isEqualTo(p.identityOf(a));

            List<FeedEvent> events = p.apply(p.account(MAGENTO, "2", "kim@corp.io", "+14155550123",
                    "2024-02-01T00:00:00Z", AccountStatus.DELETED));

            assertThat(p.types(events)).containsExactly(FeedEvent.ACCOUNT_DELETED, FeedEvent.IDENTITY_CREATED);
            assertThat(p.identityOf(c)).isNotEqualTo(p.identityOf(a));
        }
    }

    @Test
    void twoRecordsOfOneBatchThatShareAnEmailMergeWithinTheBatch() throws Exception {
        List<FeedEvent> events = f.apply(
                f.account(SHOPIFY, "1", "twin@corp.io", "2024-01-01T00:00:00Z"),
                f.account(MAGENTO, "2", "TWIN@corp.io", "2024-01-01T00:00:00Z"));

        assertThat(f.types(events)).containsExactly(FeedEvent.IDENTITY_CREATED, FeedEvent.ACCOUNT_LINKED);
        assertThat(f.counts().get("identities")).isEqualTo(1);
    }

    @Test
    void sequenceNumbersSurviveARestartWithoutGapsOrRepeats() throws Exception {
        List<FeedEvent> before = f.apply(f.account(SHOPIFY, "1", "r@corp.io", "2024-01-01T00:00:00Z"));
        IdentityGraph reopened = new IdentityGraph(f.store, f.eventLog, new MatchPolicy(false, List.of(), List.of()),
                new IdentitySnapshots(f.json, GoldenRule.newest()), java.time.Clock.systemUTC());
        List<FeedEvent> after = reopened.apply(List.of(new Observation(
                f.account(SHOPIFY, "2", "s@corp.io", "2024-01-01T00:00:00Z"), "test")));

        assertThat(after.get(0).seq()).isEqualTo(before.get(0).seq() + 1);
    }
}
