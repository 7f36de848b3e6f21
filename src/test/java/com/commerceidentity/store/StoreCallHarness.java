package com.commerceidentity.store;

import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.Simulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** The real app with its four sandbox stores on ephemeral loopback ports, and a way to call direct:store-call. */
final class StoreCallHarness implements AutoCloseable {
    final EmbeddedApp app;
    final ProducerTemplate producer;

    StoreCallHarness(Path dir, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "app.data-dir", dir.resolve("data").toString(),
                "app.inbox-dir", dir.resolve("inbox").toString(),
                "camel.server.port", Integer.toString(freePort()),
                "sandbox.enabled", "true",
                "sandbox.customers", "30"));
        settings.putAll(SandboxStores.onFreePorts());
        settings.put("app.store-call.backoff-base-ms", "20");
        settings.put("app.sync.enabled", "false"); // these tests count every request the stores see
        settings.putAll(extra);
        this.app = EmbeddedApp.start(settings);
        this.producer = app.context().createProducerTemplate();
    }

    static int freePort() throws IOException {
        return com.commerceidentity.TestPorts.free();
    }

    Simulator simulator(String platform) {
        return app.bean("sandboxStores", SandboxStores.class).simulator(platform + "-sandbox");
    }

    Simulator simulatorOf(String storeId) {
        return app.bean("sandboxStores", SandboxStores.class).simulator(storeId);
    }

    java.util.Map<String, Object> budget(String storeId) {
        var budgets = app.bean("rateBudgets", com.commerceidentity.budget.RateBudgets.class);
        return budgets.state(app.bean("storeRegistry", StoreRegistry.class).get(storeId).orElseThrow());
    }

    /** Sends a GET through the store's budget; the exchange comes back with the answer or the exception. */
    Exchange get(String store, String path, String query) {
        return producer.request("direct:store-call", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(Exchange.HTTP_PATH, path);
            if (query != null) {
                ex.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            }
        });
    }

    Exchange post(String store, String path, String body, double cost) {
        return producer.request("direct:store-call", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, path);
            ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            ex.getMessage().setHeader(StoreCalls.BUDGET_COST, cost);
            ex.getMessage().setBody(body);
        });
    }

    static int status(Exchange ex) {
        if (ex.getException() != null) {
            throw new AssertionError("store call failed", ex.getException());
        }
        return ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    @Override
    public void close() {
        app.close();
    }
}
