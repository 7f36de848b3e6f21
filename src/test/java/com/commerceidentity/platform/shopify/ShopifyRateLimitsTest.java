package com.commerceidentity.platform.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.budget.LimitSignals;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Shopify's own words for its limits become the generic signals and settings the budget policies read. */
class ShopifyRateLimitsTest {
    final ShopifyModule module = new ShopifyModule();

    static Map<String, String> headers(String... pairs) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    static StoreConfig store(Map<String, String> settings) {
        return new StoreConfig("eu-shop", Platform.of("shopify"), "http://127.0.0.1:1", "t", null, null, null, null,
                false, settings);
    }

    @Test
    void theRestCallLimitIsTheBucketFillAndRetryAfterMayBeFractional() {
        LimitSignals s = module.limitSignals("rest", 429,
                headers("x-shopify-shop-api-call-limit", " 39 / 40", "Retry-After", "2.0"), "{}");
        assertThat(s.bucket()).isEqualTo(new LimitSignals.BucketFill(39, 40));
        assertThat(s.retryAfterMillis()).hasValue(2_000);
        assertThat(s.cost()).isNull();
        assertThat(s.window()).isNull();
    }

    @Test
    void aMalformedCallLimitTeachesNothing() {
        assertThat(module.limitSignals("rest", 200, headers("X-Shopify-Shop-Api-Call-Limit", "forty"), "")
                .bucket()).isNull();
        assertThat(module.limitSignals("rest", 200, headers(), "").bucket()).isNull();
    }

    @Test
    void graphqlAnswersCarryTheirCostAndAThrottledQueryCostsNothing() {
        String ran = """
                {"data":{},"extensions":{"cost":{"requestedQueryCost":101,"actualQueryCost":46,
                 "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1954,"restoreRate":100.0}}}}""";
        assertThat(module.limitSignals("graphql", 200, headers(), ran).cost())
                .isEqualTo(new LimitSignals.CostPoints(101, 46.0, 2000, 1954, 100, false));
        String throttled = """
                {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
                 "extensions":{"cost":{"requestedQueryCost":101,
                 "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":12,"restoreRate":50.0}}}}""";
        assertThat(module.limitSignals("graphql", 200, headers(), throttled).cost())
                .isEqualTo(new LimitSignals.CostPoints(101, null, 1000, 12, 50, true));
    }

    @Test
    void costIsReadOnlyFromSuccessfulGraphqlAnswers() {
        String body = "{\"extensions\":{\"cost\":{\"requestedQueryCost\":1}}}";
        assertThat(module.limitSignals("rest", 200, headers(), body).cost()).isNull();
        assertThat(module.limitSignals("graphql", 502, headers(), body).cost()).isNull();
        assertThat(module.limitSignals("graphql", 200, headers(), "<html>bad gateway</html>").cost()).isNull();
    }

    @Test
    void thePlanSetsTheRestDrainRate() {
        assertThat(module.budgetDefaults(store(Map.of()), "rest")).containsEntry("leak-per-second", "2.0");
        assertThat(module.budgetDefaults(store(Map.of("budget.plan", " Plus ")), "rest"))
                .containsEntry("leak-per-second", "20.0");
        assertThat(module.budgetDefaults(store(Map.of("budget.plan", "advanced")), "rest"))
                .containsEntry("leak-per-second", "4.0");
        assertThat(module.budgetDefaults(store(Map.of("budget.plan", "plus")), "graphql")).isEmpty();
        assertThatThrownBy(() -> module.budgetDefaults(store(Map.of("budget.plan", "gold")), "rest"))
                .hasMessageContaining("unknown Shopify plan 'gold'");
    }
}
