package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BigCommerce reconciliation pages by the answer's {@code meta.pagination}: short pages in the middle (the
 * simulator's {@code DROP_RECORD} fault) make it read each page number once, not read pages again. A listing that
 * ends with fewer accounts than the store announced deletes nobody: the missing ones may merely have been left off
 * a page.
 */
class SyncReconcilePagingTest {
    @TempDir
    static Path dir;
    static SyncHarness sync;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "30");
        s.put("stores.bigcommerce-sandbox.sync.customers.page-size", "7");
        sync = new SyncHarness(dir, s);
    }

    @AfterAll
    static void stop() {
        sync.close();
    }

    @Test
    void shortPagesInTheMiddleAreFollowedByTheNextPageNumber() {
        String store = "bigcommerce-sandbox";
        assertThat(sync.run(store, "customers")).containsEntry("outcome", "completed").containsEntry("records", 30L);
        // pages 1 and 2 of 5 come back one record short, their paging metadata unchanged
        sync.simulator(store).faults().addDropRecord("*/v3/customers", 2, 0);

        Map<String, Object> check = sync.reconcileAllowingFailure(store, "customers");

        assertThat(check.get("pages")).as("pages 1 to 5, each once (offset/limit+1 asked for page 1 twice)")
                .isEqualTo(5);
        assertThat(check.get("listed")).isEqualTo(28);
        assertThat(check).containsEntry("outcome", "failed").containsEntry("deleted", 0);
        assertThat((String) check.get("message")).contains("customers listed 28 of the 30 the store announced")
                .contains("nothing was deleted");
    }
}
