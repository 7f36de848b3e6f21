package com.commerceidentity.store;

import com.commerceidentity.platform.PlatformModules;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;

/**
 * Only the headers a platform needs leave for a store. Routes carry many headers of their own (and the previous
 * page's response headers) that a third party has no business seeing; an allowlist is the only safe default.
 * Response headers come in as usual, for the budgets and the page walkers.
 */
public class StoreRequestHeaders extends HttpHeaderFilterStrategy {
    private static final Set<String> OUTBOUND = outbound();

    /** Accept and Content-Type, and whatever header each platform module's credentials use. */
    private static Set<String> outbound() {
        Set<String> names = new java.util.HashSet<>(Set.of("accept", "content-type"));
        PlatformModules.all().forEach(m -> m.outboundHeaders().forEach(h -> names.add(h.toLowerCase(Locale.ROOT))));
        return Set.copyOf(names);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !OUTBOUND.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
