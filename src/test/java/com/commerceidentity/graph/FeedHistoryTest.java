package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.feed.FeedApi;
import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Surface;
import com.commerceidentity.model.Platform;
import com.commerceidentity.sandbox.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded feed history: retention, the 410 below the horizon, and a consumer bootstrapping from the snapshot. */
class FeedHistoryTest {
    private static final Platform SHOPIFY = Platform.of("shopify");
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    GraphFixture f;
    FeedSnapshots snapshots;
    FeedApi api;

    @BeforeEach
    void open() throws Exception {
        f = new GraphFixture(dir, true, clock);
        snapshots = new FeedSnapshots(f.eventLog, f.json);
        api = new FeedApi(f.store, f.eventLog, snapshots, new IdentitySnapshots(f.json, GoldenRule.newest()),
                f.normalizer, f.graph.policy(), 100, 1000);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void retentionByAgeDeletesOlderEventsOnlyAndTheFeedRefusesACursorBelowWhatIsLeft() throws Exception {
        createPeople(0, 10); // seq 1..10, on 1 November
        clock.advance(Duration.ofDays(2));
        createPeople(10, 5); // seq 11..15, two days later
        clock.advance(Duration.ofHours(1));

        long horizon = new FeedRetention(f.eventLog, snapshots, Duration.ofDays(1), 0, clock).apply();

        assertThat(horizon).isEqualTo(10);
        assertThat(seqs(f.eventLog.eventsAfter(0, 100))).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(seqsOf(api.page("10", null))).containsExactly(11L, 12L, 13L, 14L, 15L);
        for (String below : new String[] {null, "0", "9"}) {
            assertThatThrownBy(() -> api.page(below, null)).isInstanceOfSatisfying(HttpProblem.class, p -> {
                assertThat(p.status()).isEqualTo(410);
                assertThat(p.body()).containsEntry("horizon", 10L).containsEntry("snapshot", "/feed/snapshot");
            });
        }
    }

    @Test
    void retentionByCountKeepsTheNewestEventsAndWhatASinkHasNotSent() throws Exception {
        createPeople(0, 15);
        FeedRetention retention = new FeedRetention(f.eventLog, snapshots, null, 5, clock);
        long[] sinkSentUpTo = {7};
        retention.holdAt(() -> sinkSentUpTo[0]);

        assertThat(retention.apply()).isEqualTo(7);
        assertThat(seqs(f.eventLog.eventsAfter(0, 100)).get(0)).isEqualTo(8L);

        sinkSentUpTo[0] = 15;
        assertThat(retention.apply()).isEqualTo(10);
        assertThat(seqs(f.eventLog.eventsAfter(0, 100))).containsExactly(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void retentionOffDeletesNothing() throws Exception {
        createPeople(0, 15);
        clock.advance(Duration.ofDays(3650));

        assertThat(new FeedRetention(f.eventLog, snapshots, null, 0, clock).apply()).isZero();
        assertThat(f.eventLog.eventsAfter(0, 100)).hasSize(15);
    }

    @Test
    void deletedEventsKeepTheirNumbers() throws Exception {
        createPeople(0, 15);
        clock.advance(Duration.ofDays(2));
        new FeedRetention(f.eventLog, snapshots, Duration.ofDays(1), 0, clock).apply();

        assertThat(f.eventLog.eventsAfter(0, 100)).isEmpty();
        assertThat(f.eventLog.maxSeq()).as("a restart numbers new events after 15, not from 1 again").isEqualTo(15);
    }

    @Test
    void aConsumerStartingFromTheSnapshotEndsWithTheIdentitiesOfOneThatReadTheWholeFeed() throws Exception {
        Map<String, JsonNode> wholeFeed = new HashMap<>();
        // creations, links, a merge, an update, a move to another identity, a deletion
        f.apply(account("1", "ada@fjord.no", "+14155550101", "2026-01-01T00:00:00Z"),
                account("2", "bob@fjord.no", "+14155550102", "2026-01-01T00:00:00Z"),
                account("3", "cy@fjord.no", null, "2026-01-01T00:00:00Z"));
        f.apply(account("4", "ada@fjord.no", null, "2026-01-01T00:00:00Z"));
        f.apply(account("5", "ada@fjord.no", "+14155550102", "2026-01-01T00:00:00Z")); // ties ada and bob: a merge
        long cursor = read(wholeFeed, 0);
        new FeedRetention(f.eventLog, snapshots, null, 1, clock).apply();
        f.apply(Account.builder(new AccountKey(SHOPIFY, "main", Kind.CUSTOMER, "3")).email("cy@fjord.no")
                .firstName("Cyrus").status(AccountStatus.ACTIVE).version(Instant.parse("2026-02-01T00:00:00Z"))
                .surface(Surface.FILE).build(f.normalizer));
        f.apply(account("4", "dee@fjord.no", null, "2026-02-01T00:00:00Z")); // leaves ada for a new identity
        f.apply(f.account(SHOPIFY, "1", "ada@fjord.no", "+14155550101", "2026-03-01T00:00:00Z",
                AccountStatus.DELETED));
        cursor = read(wholeFeed, cursor); // it keeps up: retention never takes what it has not read
        new FeedRetention(f.eventLog, snapshots, null, 2, clock).apply();
        f.apply(account("6", "eve@fjord.no", null, "2026-01-01T00:00:00Z"));
        read(wholeFeed, cursor);
        assertThatThrownBy(() -> api.page("0", null)).isInstanceOf(HttpProblem.class);

        Map<String, JsonNode> bootstrapped = new HashMap<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(api.snapshot(), StandardCharsets.UTF_8))) {
            in.lines().forEach(lines::add);
        }
        long snapshotSeq = f.json.readTree(lines.get(0)).path("seq").asLong();
        for (String line : lines.subList(1, lines.size())) {
            fold(bootstrapped, f.json.readTree(line));
        }
        read(bootstrapped, snapshotSeq);

        assertThat(bootstrapped.keySet()).containsExactlyInAnyOrderElementsOf(wholeFeed.keySet());
        assertThat(bootstrapped).isEqualTo(wholeFeed);
        assertThat(wholeFeed).as("ada and bob merged, cy, dee, eve").hasSize(4);
    }

    private Account account(String id, String email, String phone, String version) {
        return f.account(SHOPIFY, id, email, phone, version, AccountStatus.ACTIVE);
    }

    private void createPeople(int from, int n) throws Exception {
        for (int i = from; i < from + n; i++) {
            f.apply(f.account(SHOPIFY, "p" + i, "person" + i + "@fjord.no", "2026-01-01T00:00:00Z"));
        }
    }

    /** Reads GET /feed from the cursor to its end, folding each event into the state; returns the last cursor. */
    private long read(Map<String, JsonNode> state, long after) throws Exception {
        while (true) {
            JsonNode page = f.json.readTree(api.page(Long.toString(after), "1000"));
            for (JsonNode e : page.path("events")) {
                fold(state, e);
            }
            after = page.path("next").asLong();
            if (!page.path("hasMore").asBoolean()) {
                return after;
            }
        }
    }

    /** What a consumer does with an event: keeps the identity's latest state; a merge retires the merged ids. */
    private static void fold(Map<String, JsonNode> state, JsonNode event) {
        for (JsonNode merged : event.path("mergedIds")) {
            state.remove(merged.asText());
        }
        state.put(event.path("identityId").asText(), event.path("identity"));
    }

    private List<Long> seqsOf(String page) throws Exception {
        List<Long> out = new ArrayList<>();
        f.json.readTree(page).path("events").forEach(e -> out.add(e.path("seq").asLong()));
        return out;
    }

    private static List<Long> seqs(List<com.commerceidentity.feed.FeedEvent> events) {
        return events.stream().map(com.commerceidentity.feed.FeedEvent::seq).toList();
    }
}
