package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An email that is not well formed ({@code "qui mollit aute ut"} from a spec-generated mock) stays on its account
 * as sent, but is never a match key and never an identity's golden email.
 */
class MalformedEmailTest {
    private static final Platform MAGENTO = Platform.of("magento");
    private static final Platform MEDUSA = Platform.of("medusa");

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
    void theSmallRule() {
        assertThat(List.of("ada@example.org", "a.b+tag@sub.example.co.uk", "o'neil@example.ie", "x@y.z"))
                .allMatch(AccountNormalizer::wellFormedEmail);
        assertThat(List.of("qui mollit aute ut", "n/a", "ada@", "@example.org", "ada@example", "a@b@example.org",
                "ada @example.org", "ada@exa mple.org", "ada@example..org", "ada@.example.org", "ada@example.org.",
                "", "ada\t@example.org"))
                .noneMatch(AccountNormalizer::wellFormedEmail);
    }

    @Test
    void aMalformedEmailIsKeptOnTheAccountButHasNoNormalizedForm() {
        Account a = f.account(MAGENTO, "1", "qui mollit aute ut", "2024-01-01T00:00:00Z");
        assertThat(a.emailRaw()).isEqualTo("qui mollit aute ut");
        assertThat(a.email()).isNull();
        assertThat(new MatchPolicy(true, List.of(), List.of()).keys(a)).isEmpty();
    }

    @Test
    void aMalformedEmailNeverMatchesAndIsNeverGolden() throws Exception {
        Account one = f.account(MAGENTO, "1", "qui mollit aute ut", "2024-01-01T00:00:00Z");
        Account two = f.account(MEDUSA, "2", "Qui Mollit Aute Ut", "2024-01-02T00:00:00Z");
        f.apply(one);
        List<FeedEvent> events = f.apply(two);

        assertThat(f.types(events)).containsExactly(FeedEvent.IDENTITY_CREATED);
        assertThat(f.identityOf(two)).isNotEqualTo(f.identityOf(one));
        JsonNode identity = f.payload(events.get(0)).get("identity");
        assertThat(identity.at("/golden").has("email")).isFalse();
        JsonNode account = identity.get("accounts").get(0);
        assertThat(account.toString()).contains("Qui Mollit Aute Ut");
    }

    @Test
    void aWellFormedEmailOfAnOlderAccountIsGoldenOverANewerMalformedOne() throws Exception {
        Account good = f.account(MAGENTO, "1", "ada@example.org", null, "2024-01-01T00:00:00Z", AccountStatus.ACTIVE);
        Account bad = f.account(MEDUSA, "2", "qui mollit aute ut", "+1 415 555 0100", "2024-03-01T00:00:00Z",
                AccountStatus.ACTIVE);
        f.apply(good);
        f.apply(bad);
        // linked by nothing: the bad email matches nobody
        assertThat(f.identityOf(bad)).isNotEqualTo(f.identityOf(good));

        // a stored account from before the rule (normalized form present) is still never golden nor a key
        Account legacy = new Account(bad.key(), "qui mollit aute ut", "qui mollit aute ut", null, null, "Q", "M",
                AccountStatus.ACTIVE, bad.createdAt(), bad.updatedAt(), null, bad.version(), bad.surface());
        assertThat(new MatchPolicy(false, List.of(), List.of()).keys(legacy)).isEmpty();
        assertThat(GoldenRule.newest().choose(List.of(good, legacy)).email()).isEqualTo("ada@example.org");
    }
}
