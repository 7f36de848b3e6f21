package com.commerceidentity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.db.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph batch on PostgreSQL finds the accounts its records may touch through the indexes, whatever the table's
 * size: a full read of {@code accounts} per batch made every drop, sync page and webhook group slower as the graph
 * grew (8-18 ms a look-up between 20,000 and 100,000 accounts; through the index 1.2-1.5 ms, flat).
 */
class BatchLookUpsTest {
    static final int ACCOUNTS = 40_000;
    static final int BATCH = 1_000;

    @TempDir
    Path dir;

    @Test
    void aBatchOfAThousandKeysReadsAccountsThroughTheirIndexesNotEveryRow() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "the plan is PostgreSQL's; embedded H2 looks keys up by index");
        try (GraphFixture f = new GraphFixture(dir, false)) {
            try (Connection c = f.store.connection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts (account_key, identity_id, email_norm, status, surface, link_rule,"
                        + " linked_at) SELECT 'shopify:main:customer:' || i, 'idn_' || (i / 2), 'p' || i"
                        + " || '@shop.example', 'active', 'rest', 'email', now()"
                        + " FROM generate_series(1, " + ACCOUNTS + ") AS i");
                st.execute("ANALYZE accounts");
            }
            // half of each batch is known, half new, as in a sync page of a growing shop
            List<String> keys = new ArrayList<>();
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int n = i % 2 == 0 ? 1 + i * 37 : ACCOUNTS + i;
                keys.add("shopify:main:customer:" + n);
                emails.add("p" + n + "@shop.example");
            }

            try (Connection c = f.store.connection()) {
                c.setAutoCommit(false);
                try {
                    // as IdentityGraph begins every batch
                    GraphWriterLock.postgresAdvisory().acquire(c, 0);
                    assertThat(f.store.accountsByKeys(c, keys)).hasSize(BATCH / 2);
                    assertThat(f.store.accountsByEmails(c, emails)).hasSize(BATCH / 2);
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                            "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'accounts'")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong("seq_scan")).as("reads of every account in this batch").isZero();
                        assertThat(rs.getLong("idx_scan")).as("descents of an index").isPositive();
                    }
                } finally {
                    c.rollback();
                }
            }
        }
    }
}
