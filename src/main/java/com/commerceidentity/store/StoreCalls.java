package com.commerceidentity.store;

import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.budget.Backoff;
import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.budget.ResponseSignals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code direct:store-call} (routes/store-calls.yaml): every request any route makes to a store.
 * Each attempt waits inside the store's budget; what comes back decides whether the same request goes again:
 * a 429 after exactly the wait the platform states, a 5xx or a dropped connection after an exponential back-off
 * with jitter (bounded), a 401 after a fresh login. Other answers go back to the caller with their status.
 *
 * <p>In: header {@code storeId}, {@code CamelHttpMethod} (GET), {@code CamelHttpPath} (relative to the store's
 * base URL), {@code CamelHttpQuery} (encoded), optional {@code budgetCost} (GraphQL requested cost), body for
 * POST/PUT. Out: body as String, {@code CamelHttpResponseCode}, the response headers; exchange properties
 * {@code storeCallAttempts} and {@code storeCallRateLimited} for run summaries.
 */
public class StoreCalls implements CamelContextAware {
    public static final String STORE_ID = "storeId";
    public static final String BUDGET_COST = "budgetCost";
    public static final String ATTEMPTS = "storeCallAttempts";
    public static final String RATE_LIMITED = "storeCallRateLimited";
    static final String CALL = "storeCall";
    static final String DONE = "storeCallDone";
    static final String BASE_URL = "storeBaseUrl";
    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);
    /** A 429 is our own pacing failing, never the data's fault: keep retrying it far longer than a 5xx. */
    private static final int MAX_RATE_LIMITED = 50;

    private final StoreRegistry stores;
    private final RateBudgets budgets;
    private final StoreAuth auth;
    private final Backoff backoff;
    private final int maxAttempts;
    private final ObjectMapper json;
    private CamelContext context;

    public StoreCalls(StoreRegistry stores, RateBudgets budgets, StoreAuth auth, Backoff backoff, int maxAttempts,
                      ObjectMapper json) {
        this.stores = stores;
        this.budgets = budgets;
        this.auth = auth;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.json = json;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
        auth.bind(camelContext.createProducerTemplate());
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    public void begin(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(STORE_ID, String.class);
        StoreConfig store = stores.get(id).orElseThrow(() -> new IllegalArgumentException(
                "no store '" + id + "' is configured (expected stores." + id + ".platform in application.properties)"));
        String method = m.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String path = m.getHeader(Exchange.HTTP_PATH, "", String.class);
        if (!path.isEmpty() && !path.startsWith("/")) {
            path = "/" + path;
        }
        String lane = PlatformModules.of(store.platform().id()).lane(path);
        boolean graphql = RateBudgets.GRAPHQL.equals(lane);
        byte[] body = "GET".equals(method) || "DELETE".equals(method) ? null : m.getBody(byte[].class);
        StoreCall call = new StoreCall(store, lane, budgets.forStore(store, lane), method, path,
                m.getHeader(Exchange.HTTP_QUERY, String.class), body,
                m.getHeader(Exchange.CONTENT_TYPE, body == null ? null : "application/json", String.class),
                graphql ? m.getHeader(BUDGET_COST, 1.0, Double.class) : 1,
                !m.getHeader(StoreAuth.NO_AUTH, false, Boolean.class));
        m.removeHeader(StoreAuth.NO_AUTH);
        exchange.setProperty(CALL, call);
        exchange.setProperty(DONE, false);
        exchange.setProperty(BASE_URL, store.baseUrl());
    }

    /** Puts the request back on the message (a previous attempt replaced it with its response) and waits for a permit. */
    public void beforeAttempt(Exchange exchange) throws InterruptedException {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        long wait = call.notBeforeNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        Message m = exchange.getMessage();
        m.setHeader(Exchange.HTTP_METHOD, call.method);
        m.setHeader(Exchange.HTTP_PATH, call.path);
        if (call.query == null || call.query.isEmpty()) {
            m.removeHeader(Exchange.HTTP_QUERY);
        } else {
            m.setHeader(Exchange.HTTP_QUERY, call.query);
        }
        // Left over from an inbound HTTP request (a webhook), these would redirect or re-query the call.
        m.removeHeader(Exchange.HTTP_URI);
        m.removeHeader(Exchange.HTTP_RAW_QUERY);
        m.setBody(call.body);
        if (call.contentType != null) {
            m.setHeader(Exchange.CONTENT_TYPE, call.contentType);
        }
        if (call.authenticated) {
            auth.apply(call.store, call.path, m);
        } else {
            m.setHeader("Accept", "application/json");
        }
        call.permit = call.budget.acquire(call.cost);
        call.attempts++;
    }

    public void afterResponse(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        Message m = exchange.getMessage();
        dropCredentials(m);
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        m.setBody(body);
        call.lastStatus = status;
        long wait = call.budget.observe(call.permit, new ResponseSignals(status, stringHeaders(m),
                RateBudgets.GRAPHQL.equals(call.lane) && status == 200 ? graphqlCost(body) : null, System.nanoTime()));
        if (wait >= 0) {
            call.rateLimited++;
            retry(exchange, call, wait > 0 ? wait : backoff.delayMillis(call.rateLimited), call.rateLimited <= MAX_RATE_LIMITED,
                    "rate limited (HTTP " + status + ")", null);
            return;
        }
        if (status == 401 && call.authenticated && !call.authRenewed && auth.renewable(call.store)) {
            call.authRenewed = true;
            auth.forget(call.store);
            LOG.info("{} answered 401: logging in again", call.describe());
            retry(exchange, call, 0, true, "HTTP 401", null);
            return;
        }
        if (status >= 500 || status == 408) {
            call.failures++;
            retry(exchange, call, backoff.delayMillis(call.failures), call.failures < maxAttempts, "HTTP " + status, null);
            return;
        }
        exchange.setProperty(DONE, true);
    }

    public void afterTransportFailure(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        dropCredentials(exchange.getMessage());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (call.permit != null) {
            call.budget.abandon(call.permit);
        }
        call.failures++;
        call.lastStatus = 0;
        retry(exchange, call, backoff.delayMillis(call.failures), call.failures < maxAttempts,
                cause == null ? "no response" : cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    /** After the loop: hand the answer to the caller, or fail with everything ops need to know. */
    public void finish(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        exchange.removeProperty(CALL);
        exchange.removeProperty(DONE);
        exchange.removeProperty(BASE_URL);
        exchange.setProperty(ATTEMPTS, call.attempts);
        exchange.setProperty(RATE_LIMITED, call.rateLimited);
        if (call.failure != null) {
            throw new StoreCallException(call.describe() + " failed after " + call.attempts + " attempts: "
                    + call.failure, call.lastStatus, call.cause);
        }
    }

    /** Either schedules the same request again or, when this failure allows no more attempts, ends the loop. */
    private static void retry(Exchange exchange, StoreCall call, long waitMillis, boolean allowed, String reason,
                              Throwable cause) {
        if (!allowed) {
            call.failure = reason;
            call.cause = cause;
            exchange.setProperty(DONE, true);
            return;
        }
        LOG.debug("{}: {} - retrying in {} ms", call.describe(), reason, waitMillis);
        call.retryAfter(waitMillis);
    }

    private static void dropCredentials(Message m) {
        m.removeHeader("Authorization");
        m.removeHeader("X-Shopify-Access-Token");
        m.removeHeader("X-Auth-Token");
    }

    private static Map<String, String> stringHeaders(Message m) {
        Map<String, String> out = new HashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (v instanceof String s) {
                out.put(k, s);
            } else if (v instanceof Number n) {
                out.put(k, n.toString());
            }
        });
        return out;
    }

    private ResponseSignals.GraphqlCost graphqlCost(String body) {
        try {
            JsonNode root = json.readTree(body);
            JsonNode cost = root.path("extensions").path("cost");
            if (cost.isMissingNode()) {
                return null;
            }
            JsonNode t = cost.path("throttleStatus");
            boolean throttled = false;
            for (JsonNode e : root.path("errors")) {
                if ("THROTTLED".equals(e.path("extensions").path("code").asText())
                        || "Throttled".equalsIgnoreCase(e.path("message").asText())) {
                    throttled = true;
                }
            }
            JsonNode actual = cost.path("actualQueryCost");
            return new ResponseSignals.GraphqlCost(cost.path("requestedQueryCost").asDouble(),
                    actual.isNumber() ? actual.asDouble() : null, t.path("maximumAvailable").asDouble(),
                    t.path("currentlyAvailable").asDouble(), t.path("restoreRate").asDouble(), throttled);
        } catch (Exception e) {
            return null; // a page that is not JSON is the caller's problem to report; the budget learns nothing
        }
    }
}
