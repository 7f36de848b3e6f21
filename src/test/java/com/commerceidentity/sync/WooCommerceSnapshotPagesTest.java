package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.Simulator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WooCommerce lists customers in full by page number (no time filter): its pages are fetched side by side within
 * the store's cap like the other page-numbered platforms, a customer who signs up meanwhile is read in the same
 * run, and a customer deleted meanwhile makes the run list again from the start rather than skip anyone.
 */
class WooCommerceSnapshotPagesTest {
    private static final String STORE = "woocommerce-sandbox";
    private static final Pattern PAGE_1 = Pattern.compile("(^|&)page=1(&|$)");
    private static final Pattern PAGE_4 = Pattern.compile("(^|&)page=4(&|$)");

    @TempDir
    Path dir;

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("sandbox.customers", "120");
        s.put("stores.woocommerce-sandbox.sync.customers.page-size", "10");
        s.put("stores.woocommerce-sandbox.budget.requests-per-second", "200");
        s.put("stores.woocommerce-sandbox.budget.concurrency", "8");
        s.put("stores.woocommerce-sandbox.sync.max-in-flight", "3");
        s.put("sandbox.woocommerce.latency-ms", "60");
        return s;
    }

    private static List<String> customers(Simulator sim) {
        return sim.records().list(RecordControl.CUSTOMER).stream()
                .filter(u -> "customer".equals(u.path("role").asText()))
                .map(u -> "woocommerce:" + STORE + ":customer:" + u.path("id").asText())
                .toList();
    }

    /** Counts the customer list's first pages asked for, and runs {@code atPage4} once when page 4 is asked for. */
    private static AtomicInteger watch(SyncHarness h, Runnable atPage4) throws Exception {
        AtomicInteger firstPages = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        AdviceWith.adviceWith(h.app.context(), "store-call", a -> a.weaveAddFirst().process(ex -> {
            String path = ex.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
            String query = ex.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class);
            if (path.endsWith("/customers") && query.contains("role=customer")) {
                if (PAGE_1.matcher(query).find()) {
                    firstPages.incrementAndGet();
                } else if (PAGE_4.matcher(query).find() && done.compareAndSet(false, true)) {
                    atPage4.run();
                }
            }
        }));
        return firstPages;
    }

    @Test
    void pagesAreFetchedSideBySideAndACustomerWhoSignsUpMeanwhileIsReadInTheSameRun() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            AtomicInteger firstPages = watch(h, () -> sim.records().create(RecordControl.CUSTOMER,
                    new ObjectMapper().createObjectNode().put("email", "late.signup@corp.io")
                            .put("first_name", "Late").put("last_name", "Signup")));
            Map<String, Object> run = h.run(STORE, "customers");
            assertThat(run).containsEntry("outcome", "completed");
            assertThat(sim.counters().maxInFlight()).as("requests the store held at once").isBetween(2, 3);
            assertThat(firstPages).as("the list was not started over").hasValue(1);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(customers(sim));
            assertThat(added.values()).containsOnly(1);
        }
    }

    @Test
    void aCustomerDeletedMeanwhileMakesTheRunListAgainFromTheStartAndNoOneIsSkipped() throws Exception {
        try (SyncHarness h = new SyncHarness(dir, settings())) {
            Simulator sim = h.simulator(STORE);
            List<String> before = customers(sim);
            String first = before.get(0).substring(before.get(0).lastIndexOf(':') + 1);
            AtomicInteger firstPages = watch(h, () -> sim.records().delete(RecordControl.CUSTOMER, first));
            Map<String, Object> run = h.run(STORE, "customers");
            assertThat(run).containsEntry("outcome", "completed");
            assertThat(firstPages).as("listed again from the start").hasValue(2);
            Map<String, Integer> added = h.accountsAdded(STORE);
            assertThat(added.keySet()).containsAll(customers(sim));
            assertThat(added.values()).containsOnly(1);
        }
    }
}
