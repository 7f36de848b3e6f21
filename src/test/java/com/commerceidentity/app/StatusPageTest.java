package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.commerceidentity.observe.BudgetHistory;
import com.commerceidentity.sandbox.SandboxStores;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.sync.SyncRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;

/** The status page at /, in a browser engine with JavaScript on, as an operator opens it. */
class StatusPageTest {
    private static final List<String> STORES = List.of("shopify-sandbox", "bigcommerce-sandbox", "magento-sandbox",
            "medusa-sandbox", "woocommerce-sandbox");
    /** Store ids are checked, file names in the inbox are not: the page shows this one in its rejects. */
    private static final String HOSTILE_FILE = "<img src=x onerror=alert(1)>.ndjson";

    @TempDir
    Path dir;

    /** A browser that remembers every alert() a page managed to run. */
    static final class Browser extends HtmlUnitDriver {
        final List<String> alerts = new CopyOnWriteArrayList<>();

        Browser() {
            super(BrowserVersion.BEST_SUPPORTED, true);
        }

        @Override
        protected WebClient modifyWebClient(WebClient client) {
            client.setAlertHandler((page, message) -> alerts.add(message));
            return client;
        }
    }

    private static String cell(Browser browser, String store, String surface, String cls) {
        return browser.findElement(By.cssSelector("tr[data-store='" + store + "'][data-surface='" + surface + "'] ."
                + cls)).getText();
    }

    private static void sync(EmbeddedApp app, String store) {
        app.context().createProducerTemplate().request("direct:sync-run", ex -> {
            ex.getMessage().setHeader(StoreCalls.STORE_ID, store);
            ex.getMessage().setHeader(SyncRuns.SURFACE, "customers");
        });
    }

    @Test
    void everyStoreShowsItsStateAndThePageFollowsARunWithoutBeingReloaded() throws Exception {
        int port = AppHarness.freePort();
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("app.inbox.poll-delay-ms", "100");
        s.put("camel.server.port", Integer.toString(port));
        s.put("camel.management.port", Integer.toString(AppHarness.freePort()));
        s.put("sandbox.enabled", "true");
        s.put("sandbox.customers", "10");
        s.put("app.sync.run-at-start", "false");
        // no cron run in the middle of the test (the default fires every 5 minutes)
        s.put("app.sync.cron", "0 0 0 1 1 ? 2099");
        s.put("app.sync.staff-cron", "0 0 0 1 1 ? 2099");
        s.put("app.status.poll-ms", "300");
        s.put("app.status.budget-sample-ms", "200");
        s.putAll(SandboxStores.onFreePorts());
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            sync(app, "magento-sandbox");
            BudgetHistory history = app.bean("budgetHistory", BudgetHistory.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> history.series("magento-sandbox").stream().anyMatch(n -> n > 0));
            Path staging = dir.resolve("staging.ndjson");
            Files.writeString(staging, "{\"id\":1,\"email\":\"a@b.io\"}\n{\"id\":2, broken\n", StandardCharsets.UTF_8);
            Path eu = Files.createDirectories(dir.resolve("inbox").resolve("shopify").resolve("shopify-sandbox"));
            Files.move(staging, eu.resolve(HOSTILE_FILE));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("inbox").resolve(".done")
                    .resolve("shopify").resolve("shopify-sandbox").resolve(HOSTILE_FILE)));

            Browser browser = new Browser();
            try {
                browser.get("http://127.0.0.1:" + port + "/");
                assertThat(browser.getTitle()).isEqualTo("Commerce Identity Feed");
                for (String store : STORES) {
                    WebElement name = browser.findElement(By.cssSelector("tr[data-store='" + store + "'] .store"));
                    assertThat(name.getText()).isEqualTo(store);
                    assertThat(browser.findElement(By.cssSelector("tr[data-store='" + store + "'] .health")).getText())
                            .isEqualTo("ok");
                    assertThat(cell(browser, store, "customers", "state")).as(store)
                            .isEqualTo(store.equals("magento-sandbox") ? "completed" : "not run yet");
                }
                assertThat(cell(browser, "magento-sandbox", "customers", "last")).contains("10 records");
                assertThat(browser.findElements(By.cssSelector("tr[data-store='magento-sandbox'] svg polyline")))
                        .as("the budget chart").hasSize(1);
                assertThat(browser.findElement(By.id("feed-head")).getText()).isNotEqualTo("0");
                assertThat(browser.findElement(By.id("inbox-pending")).getText()).isEqualTo("0");

                // a hostile file name is shown as text in the rejects it produced, never run
                assertThat(browser.findElement(By.id("rejects")).getText()).contains(HOSTILE_FILE)
                        .contains("malformed JSON");
                assertThat(browser.findElements(By.tagName("img"))).isEmpty();

                sync(app, "shopify-sandbox");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> cell(browser, "shopify-sandbox", "customers", "state").equals("completed"));
                assertThat(cell(browser, "shopify-sandbox", "customers", "last")).contains("records");
                assertThat(browser.alerts).isEmpty();
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void withApiTokensThePageNeedsTheReadTokenAndWithoutThemALoopbackHost() throws Exception {
        int port = AppHarness.freePort();
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(port));
        s.put("camel.management.port", Integer.toString(AppHarness.freePort()));
        s.put("sandbox.enabled", "false");
        s.put("app.api.read-token", "read-7f3a");
        s.put("app.api.control-token", "control-9c2e");
        try (EmbeddedApp app = EmbeddedApp.start(s)) {
            assertThat(RawHttp.send(port, "GET", "/", Map.of(), null).status()).isEqualTo(401);
            RawHttp page = RawHttp.send(port, "GET", "/", Map.of("Authorization", "Bearer read-7f3a"), null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<h2>Stores</h2>");
            assertThat(page.headers().entrySet()).anySatisfy(h -> {
                assertThat(h.getKey()).isEqualToIgnoringCase("Content-Security-Policy");
                assertThat(h.getValue()).contains("script-src 'self'");
            });
        }
        Map<String, String> open = new HashMap<>(s);
        open.remove("app.api.read-token");
        open.remove("app.api.control-token");
        try (EmbeddedApp app = EmbeddedApp.start(open)) {
            assertThat(RawHttp.send(port, "GET", "/", Map.of("Host", "status.example.net"), null).status())
                    .as("a DNS-rebinding page names its own host").isEqualTo(403);
            assertThat(RawHttp.send(port, "GET", "/", Map.of(), null).status()).isEqualTo(200);
        }
    }
}
