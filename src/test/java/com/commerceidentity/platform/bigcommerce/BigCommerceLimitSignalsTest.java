package com.commerceidentity.platform.bigcommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.budget.LimitSignals;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** BigCommerce's X-Rate-Limit-* headers become the rolling-window figures the generic budget reads. */
class BigCommerceLimitSignalsTest {
    final BigCommerceModule module = new BigCommerceModule();

    static Map<String, String> headers(Map<String, String> pairs) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(pairs);
        return h;
    }

    @Test
    void everyWindowFigureIsRead() {
        LimitSignals s = module.limitSignals("rest", 429, headers(Map.of("x-rate-limit-time-window-ms", "30000",
                "X-Rate-Limit-Requests-Quota", "150", "X-Rate-Limit-Requests-Left", "0",
                "X-Rate-Limit-Time-Reset-Ms", " 1234 ")), null);
        assertThat(s.window()).isEqualTo(new LimitSignals.Window(OptionalLong.of(30_000), OptionalLong.of(150),
                OptionalLong.of(0), OptionalLong.of(1234)));
        assertThat(s.retryAfterMillis()).isEmpty();
    }

    @Test
    void missingOrMalformedFiguresStayUnreported() {
        LimitSignals s = module.limitSignals("rest", 429, headers(Map.of("X-Rate-Limit-Requests-Left", "many",
                "Retry-After", "3")), null);
        assertThat(s.window()).isEqualTo(LimitSignals.Window.UNREPORTED);
        assertThat(s.retryAfterMillis()).hasValue(3_000);
    }
}
