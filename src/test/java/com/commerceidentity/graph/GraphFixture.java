package com.commerceidentity.graph;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Surface;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A graph on a fresh database of the store under test (see {@link TestDatabase}) for a temporary directory, with helpers to build accounts tersely. */
final class GraphFixture implements AutoCloseable {
    final ObjectMapper json = new ObjectMapper();
    final AccountNormalizer normalizer = new AccountNormalizer("US");
    final DataSource pool;
    final GraphStore store;
    final FeedEventLog eventLog;
    final IdentityGraph graph;

    GraphFixture(Path dir, boolean phoneMatching) throws SQLException {
        this(dir, phoneMatching, Clock.systemUTC());
    }

    GraphFixture(Path dir, boolean phoneMatching, Clock clock) throws SQLException {
        pool = TestDatabase.fresh(dir);
        migrate(pool);
        store = new GraphStore(pool);
        eventLog = new FeedEventLog(store);
        MatchPolicy policy = new MatchPolicy(phoneMatching, List.of("(no-?reply|test)@.*"), List.of());
        // As the app does: on PostgreSQL every graph is one of possibly several nodes writing the database.
        graph = new IdentityGraph(store, eventLog, policy, new IdentitySnapshots(json, GoldenRule.newest()),
                clock, TestDatabase.postgres() ? GraphWriterLock.postgresAdvisory() : GraphWriterLock.inProcess());
    }

    static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    Account account(Platform platform, String id, String email, String version) {
        return account(platform, id, email, null, version, AccountStatus.ACTIVE);
    }

    Account account(Platform platform, String id, String email, String phone, String version, AccountStatus status) {
        return Account.builder(new AccountKey(platform, "main", Kind.CUSTOMER, id))
                .email(email).phone(phone).firstName("F" + id).lastName("L" + id).status(status)
                .version(version == null ? null : Instant.parse(version)).surface(Surface.FILE)
                .build(normalizer);
    }

    List<FeedEvent> apply(Account... accounts) throws SQLException {
        List<Observation> batch = new ArrayList<>();
        for (Account a : accounts) {
            batch.add(new Observation(a, "test"));
        }
        return graph.apply(batch);
    }

    List<String> types(List<FeedEvent> events) {
        return events.stream().map(FeedEvent::type).toList();
    }

    String identityOf(Account a) throws SQLException {
        try (var c = store.connection()) {
            return store.accountsByKeys(c, List.of(a.key().toString())).get(0).identityId();
        }
    }

    JsonNode payload(FeedEvent e) throws Exception {
        return json.readTree(e.json());
    }

    Map<String, Long> counts() throws SQLException {
        return store.counts();
    }

    @Override
    public void close() {
        TestDatabase.close(pool);
    }
}
