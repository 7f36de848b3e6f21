package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The pages waiting to be committed: a staff run's go first, and every run's keep the order they were read in. */
class SyncPagesQueueTest {
    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void aStaffPageReadAfterCustomerPagesIsCommittedBeforeThemAndEachRunKeepsItsOrder() throws Exception {
        SyncPagesQueue queue = new SyncPagesQueue();
        queue.put(page("bc1 customers 1", false));
        queue.put(page("bc2 customers 1", false));
        queue.offer(page("bc1 customers 2", false));
        queue.put(page("shop staff 1", true));
        queue.add(page("bc2 customers 2", false));
        queue.put(page("shop staff 2", true));
        queue.put(page("bc1 customers 3", false));

        List<String> taken = new ArrayList<>();
        while (!queue.isEmpty()) {
            taken.add(queue.take().getMessage().getBody(String.class));
        }
        assertThat(taken).containsExactly("shop staff 1", "shop staff 2", "bc1 customers 1", "bc2 customers 1",
                "bc1 customers 2", "bc2 customers 2", "bc1 customers 3");
    }

    private Exchange page(String name, boolean staff) {
        Exchange page = new DefaultExchange(camel);
        page.getMessage().setBody(name);
        page.setProperty(SyncPagesQueue.STAFF, staff);
        return page;
    }
}
