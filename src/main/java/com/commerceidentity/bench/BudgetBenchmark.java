package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * How close each store's budget runs to the platform's limit, and how many 429s it draws, against the sandbox
 * stores; and the same workload through (a) Camel's plain {@code throttle} set to the published numbers and
 * (b) "sleep when the rate-limit header says nearly full", the strategy common in existing connectors.
 *
 * <p>Limits are scaled up and time down by the same factor (BigCommerce 150 per 3 s instead of 30 s, Shopify
 * REST 40 deep draining 20/s instead of 2/s, GraphQL restoring 500 points/s), so the shape is the platforms'
 * own. Four callers share each store. Bucket-shaped limits start full, so the first bucketful is excluded from
 * the rate: achieved = (requests - initial allowance) / seconds / published rate.
 *
 * <pre>java -cp target/commerce-identity-feed.jar com.commerceidentity.bench.BudgetBenchmark [seconds-per-run]</pre>
 */
public final class BudgetBenchmark {
    private static final int CALLERS = 4;
    private static final String GRAPHQL_QUERY =
            "{\"query\":\"{ staffMembers(first: 100) { edges { node { id email } } pageInfo { hasNextPage endCursor } } }\"}";

    record Row(String platform, String strategy, String limit, long requests, double seconds, double achieved,
               long rateLimited) {
    }

    private final ProducerTemplate producer;
    private final StoreRegistry registry;
    private final SandboxStores sandboxes;
    private final com.commerceidentity.budget.RateBudgets budgets;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Row> rows = new ArrayList<>();

    private BudgetBenchmark(EmbeddedApp app) {
        this.producer = app.context().createProducerTemplate();
        this.registry = app.bean("storeRegistry", StoreRegistry.class);
        this.sandboxes = app.bean("sandboxStores", SandboxStores.class);
        this.budgets = app.bean("rateBudgets", com.commerceidentity.budget.RateBudgets.class);
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path work = BenchDir.temporary("cif-budget-bench");
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", work.resolve("data").toString());
        s.put("app.inbox-dir", work.resolve("inbox").toString());
        s.put("camel.server.port", "0");
        s.put("sandbox.enabled", "true");
        s.put("app.sync.enabled", "false");
        s.put("sandbox.customers", "300");
        s.put("sandbox.staff", "300");
        s.put("sandbox.bigcommerce.windowMillis", "3000");
        s.put("sandbox.shopify.leakPerSecond", "20");
        s.put("sandbox.shopify.graphqlRestoreRate", "500");
        s.put("sandbox.magento.twoFactorAuth", "false");
        s.put("sandbox.shopify.graphqlMaximumAvailable", "1000");
        String[] strategies = {"budget", "camel-throttle", "sleep-when-full"};
        for (String strategy : strategies) {
            // One store per strategy and platform, so no run inherits another's window or bucket.
            for (String p : new String[] {"shopify", "bigcommerce", "magento", "medusa"}) {
                String id = p + "-" + strategy;
                s.put("stores." + id + ".platform", p);
                s.put("stores." + id + ".sandbox", "true");
                s.put("stores." + id + ".base-url", switch (p) {
                    case "bigcommerce" -> "http://127.0.0.1:0/stores/" + strategy.replace("-", "");
                    case "magento" -> "http://127.0.0.1:0/rest/all";
                    default -> "http://127.0.0.1:0";
                });
            }
            s.put("stores.shopify-" + strategy + ".budget.leak-per-second", "20");
            s.put("stores.magento-" + strategy + ".budget.requests-per-second", "50");
            // The hand-made strategies below sign in with an admin token, which a stock (2FA) store refuses.
            s.put("stores.magento-" + strategy + ".auth", "admin-token");
            s.put("stores.magento-" + strategy + ".username", "admin");
            s.put("stores.magento-" + strategy + ".password", "budget-benchmark-pw");
            s.put("stores.medusa-" + strategy + ".budget.requests-per-second", "50");
        }
        // The shipped sandbox stores are not part of this run.
        for (String p : new String[] {"shopify", "bigcommerce", "magento", "medusa"}) {
            s.put("stores." + p + "-sandbox.sandbox", "false");
        }
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            BudgetBenchmark bench = new BudgetBenchmark(app);
            bench.addBaselineRoutes(app);
            for (String strategy : strategies) {
                bench.run("bigcommerce", strategy, "150 per 3 s", 50, 0, seconds, "/v3/customers", "limit=1");
                bench.run("shopify", strategy, "40 deep, 20/s", 20, 40, seconds,
                        "/admin/api/2025-07/customers.json", "limit=1");
                bench.graphql(strategy, seconds);
                bench.run("magento", strategy, "polite 50/s", 50, 1, Math.max(5, seconds / 3),
                        "/V1/customers/search", "searchCriteria%5BpageSize%5D=1");
                bench.run("medusa", strategy, "polite 50/s", 50, 1, Math.max(5, seconds / 3), "/admin/customers", "limit=1");
            }
            bench.print();
        }
    }

    /**
     * The two strategies we compare against, as people write them: (a) Camel's throttle with the published
     * numbers, one throttle per store; (b) call, then sleep when the header says the bucket is nearly full.
     */
    private void addBaselineRoutes(EmbeddedApp app) throws Exception {
        app.context().addRoutes(new RouteBuilder() {
            private void throttle(String lane, long max, long periodMillis) {
                from("direct:baseline-throttle-" + lane).throttle(max).timePeriodMillis(periodMillis)
                        .to("direct:baseline-call");
            }

            @Override
            public void configure() {
                // The published numbers, scaled like the sandbox: 150 per 3 s; 20 per s; 500 points/s at 102 a query.
                throttle("bigcommerce", 150, 3000);
                throttle("shopify", 20, 1000);
                throttle("shopify-graphql", 49, 10_000);
                throttle("magento", 50, 1000);
                throttle("medusa", 50, 1000);
                from("direct:baseline-call")
                        .toD("${header.baselineUrl}?throwExceptionOnFailure=false&headerFilterStrategy=#storeRequestHeaders");
            }
        });
    }

    private void run(String platform, String strategy, String limit, double perSecond, long allowance, int seconds,
                     String path, String query) throws Exception {
        String store = platform + "-" + strategy;
        Simulator sim = sandboxes.simulator(store);
        long before = sim.counters().tooManyRequests();
        long okBefore = sim.counters().withStatus(200);
        AtomicLong sent = new AtomicLong();
        double elapsed = drive(seconds, () -> {
            Exchange ex = call(strategy, store, "GET", path, query, null, perSecond, 1);
            sent.incrementAndGet();
            sleepWhenNearlyFull(strategy, platform, ex);
        });
        long limited = sim.counters().tooManyRequests() - before;
        double achieved = (sim.counters().withStatus(200) - okBefore - allowance) / elapsed / perSecond;
        rows.add(new Row(platform, strategy, limit, sent.get(), elapsed, achieved, limited));
    }

    private void graphql(String strategy, int seconds) throws Exception {
        String store = "shopify-" + strategy;
        AtomicLong points = new AtomicLong();
        AtomicLong throttled = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        double restore = 500;
        double elapsed = drive(seconds, () -> {
            Exchange ex = call(strategy, store, "POST", "/admin/api/2025-07/graphql.json", null, GRAPHQL_QUERY,
                    restore / 102, 102);
            if (ex.getException() != null) {
                return; // a caller interrupted at the end of the run
            }
            sent.incrementAndGet();
            try {
                JsonNode cost = json.readTree(ex.getMessage().getBody(String.class)).path("extensions").path("cost");
                if (cost.path("actualQueryCost").isNumber()) {
                    points.addAndGet(cost.path("actualQueryCost").asLong());
                } else {
                    throttled.incrementAndGet();
                }
                if ("sleep-when-full".equals(strategy)) {
                    double available = cost.path("throttleStatus").path("currentlyAvailable").asDouble();
                    if (available < 102) {
                        Thread.sleep((long) ((102 - available) / restore * 1000));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throttled.incrementAndGet();
            }
        });
        if ("budget".equals(strategy)) {
            // Our budget retries a THROTTLED answer itself, so the final bodies never show one: ask the budget.
            Object seen = ((Map<?, ?>) budgets.state(registry.get(store).orElseThrow()).get("graphql")).get("rateLimited");
            throttled.set(((Number) seen).longValue());
        }
        double achieved = (points.get() - 1000) / elapsed / restore;
        rows.add(new Row("shopify-graphql", strategy, "1000 pts, 500/s", sent.get(), elapsed, achieved, throttled.get()));
    }

    private Exchange call(String strategy, String store, String method, String path, String query, String body,
                          double perSecond, double cost) {
        StoreConfig config = registry.get(store).orElseThrow();
        Consumer<Exchange> request = ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            ex.getMessage().setHeader(Exchange.HTTP_PATH, path);
            if (query != null) {
                ex.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            }
            if (body != null) {
                ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                ex.getMessage().setHeader(StoreCalls.BUDGET_COST, cost);
                ex.getMessage().setBody(body);
            }
        };
        if ("budget".equals(strategy)) {
            return producer.request("direct:store-call", request::accept);
        }
        // Baselines get the same credentials but none of the budget or retry logic.
        String lane = path.endsWith("graphql.json") ? "shopify-graphql" : config.platform().id();
        return producer.request("camel-throttle".equals(strategy) ? "direct:baseline-throttle-" + lane
                : "direct:baseline-call", ex -> {
            request.accept(ex);
            ex.getMessage().setHeader("baselineUrl", config.baseUrl());
            baselineAuth(config, ex);
        });
    }

    private final Map<String, String> magentoTokens = new java.util.concurrent.ConcurrentHashMap<>();

    private void baselineAuth(StoreConfig config, Exchange ex) {
        switch (config.platform().id()) {
            case "shopify" -> ex.getMessage().setHeader("X-Shopify-Access-Token", config.token());
            case "bigcommerce" -> ex.getMessage().setHeader("X-Auth-Token", config.token());
            case "medusa" -> ex.getMessage().setHeader("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((config.apiKey() + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            case "magento" -> ex.getMessage().setHeader("Authorization", "Bearer "
                    + magentoTokens.computeIfAbsent(config.id(), k -> magentoLogin(config)));
            default -> throw new IllegalArgumentException("no baseline for " + config.platform());
        }
    }

    private String magentoLogin(StoreConfig config) {
        Exchange login = producer.request("direct:baseline-call", ex -> {
            ex.getMessage().setHeader("baselineUrl", config.baseUrl());
            ex.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            ex.getMessage().setHeader(Exchange.HTTP_PATH, "/V1/integration/admin/token");
            ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            ex.getMessage().setBody(json.createObjectNode().put("username", config.username())
                    .put("password", config.password()).toString());
        });
        try {
            return json.readTree(login.getMessage().getBody(String.class)).asText();
        } catch (Exception e) {
            throw new IllegalStateException("baseline Magento login failed", e);
        }
    }

    private static void sleepWhenNearlyFull(String strategy, String platform, Exchange ex) {
        if (!"sleep-when-full".equals(strategy)) {
            return;
        }
        try {
            if ("shopify".equals(platform)) {
                String limit = ex.getMessage().getHeader("X-Shopify-Shop-Api-Call-Limit", String.class);
                if (limit != null) {
                    String[] parts = limit.split("/");
                    if (Double.parseDouble(parts[0]) >= Double.parseDouble(parts[1]) * 0.9) {
                        Thread.sleep(1000);
                    }
                }
            } else if ("bigcommerce".equals(platform)) {
                String left = ex.getMessage().getHeader("X-Rate-Limit-Requests-Left", String.class);
                String reset = ex.getMessage().getHeader("X-Rate-Limit-Time-Reset-Ms", String.class);
                if (left != null && reset != null && Long.parseLong(left) <= 1) {
                    Thread.sleep(Long.parseLong(reset));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code work} on every caller for exactly {@code seconds}: callers still waiting for a permit at the end
     * are interrupted, so a caller parked until the next window does not stretch the measured time.
     */
    private static double drive(int seconds, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < CALLERS; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    work.run();
                }
            });
        }
        TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
        pool.shutdownNow();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("callers did not stop within 60 s of the end of the run");
        }
        return seconds;
    }

    private void print() {
        System.out.println();
        System.out.printf("%-16s %-16s %-16s %9s %8s %9s %6s%n", "platform", "strategy", "limit", "requests",
                "seconds", "achieved", "429s");
        for (Row r : rows) {
            System.out.printf("%-16s %-16s %-16s %9d %8.1f %9.3f %6d%n", r.platform(), r.strategy(), r.limit(),
                    r.requests(), r.seconds(), r.achieved(), r.rateLimited());
        }
    }
}
