package com.commerceidentity.store;

import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.budget.Backoff;
import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.budget.ResponseSignals;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code direct:store-call} (routes/store-calls.yaml): every request any route makes to a store.
 * Each attempt waits inside the store's budget; what comes back decides whether the same request goes again.
 * A failure another attempt may cure is thrown as a {@link StoreCallRetryable} carrying the wait (a 429 exactly
 * the wait the platform states, a 5xx or a dropped connection an exponential back-off with jitter, a 401 none,
 * after a fresh sign-in), and Camel's error handler redelivers the attempt; each kind of failure has its own
 * allowance, counted here. Other answers go back to the caller with their status.
 *
 * <p>In: header {@code storeId}, {@code CamelHttpMethod} (GET), {@code CamelHttpPath} (relative to the store's
 * base URL), {@code CamelHttpQuery} (encoded), optional {@code budgetCost} (GraphQL requested cost), body for
 * POST/PUT. Out: body as String, {@code CamelHttpResponseCode}, the response headers; exchange properties
 * {@code storeCallAttempts} and {@code storeCallRateLimited} for run summaries. A call that ran out of attempts
 * fails with a {@link StoreCallException} naming the store, the request, the attempts and the last cause.
 */
public class StoreCalls implements CamelContextAware {
    public static final String STORE_ID = "storeId";
    public static final String BUDGET_COST = "budgetCost";
    public static final String ATTEMPTS = "storeCallAttempts";
    public static final String RATE_LIMITED = "storeCallRateLimited";
    static final String CALL = "storeCall";
    static final String BASE_URL = "storeBaseUrl";
    /** The headers the last answer on this exchange put on the message, name to value. */
    static final String ANSWER_HEADERS = "storeCallAnswerHeaders";
    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);
    /** Camel's redelivery bookkeeping, which it keeps on the message rather than in the error handler. */
    private static final Set<String> CREDENTIAL_HEADERS = PlatformModules.all().stream()
            .flatMap(p -> p.outboundHeaders().stream()).collect(Collectors.toUnmodifiableSet());
    private static final String[] REDELIVERY_HEADERS = {Exchange.REDELIVERED, Exchange.REDELIVERY_COUNTER,
            Exchange.REDELIVERY_MAX_COUNTER, Exchange.REDELIVERY_DELAY};

    private final StoreRegistry stores;
    private final RateBudgets budgets;
    private final StoreAuth auth;
    private final Backoff backoff;
    private final int maxAttempts;
    private final int maxRateLimited;
    private CamelContext context;
    private final StoreAnswerTally answers = new StoreAnswerTally();

    /**
     * @param maxAttempts    attempts a request may fail with a 5xx, a 408 or no answer (app.store-call.max-attempts)
     * @param maxRateLimited retries after a 429 or THROTTLED (app.store-call.max-rate-limited): our own pacing
     *                       failing, never the data's fault, so far more than {@code maxAttempts}
     */
    public StoreCalls(StoreRegistry stores, RateBudgets budgets, StoreAuth auth, Backoff backoff, int maxAttempts,
                      int maxRateLimited) {
        this.stores = stores;
        this.budgets = budgets;
        this.auth = auth;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.maxRateLimited = maxRateLimited;
    }

    /** What each store answered (metrics, store health). */
    public StoreAnswerTally answers() {
        return answers;
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

    /**
     * Drops the store's cached session token, so its next call signs in again: a check of the credentials must not
     * be answered by a session a changed password no longer gives.
     */
    public void forgetSession(String storeId) {
        stores.get(storeId).ifPresent(auth::forget);
    }

    public void begin(Exchange exchange) {
        Message m = exchange.getMessage();
        dropPreviousAnswer(exchange, m);
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
        // A caller that made an earlier call on this exchange (a sync run's pages) would otherwise start this
        // call's redelivery count where the last one stopped.
        removeRedeliveryHeaders(m);
        exchange.setProperty(CALL, call);
        exchange.setProperty(BASE_URL, store.baseUrl());
    }

    /**
     * Puts the request and fresh credentials on the message, then waits for a permit. The request goes on for
     * every attempt, not only in begin: credentials must be current (a 401 dropped the session), and this way
     * nothing depends on what the previous attempt's response left behind.
     *
     * <p>The permit wait blocks on purpose and is not a redelivery: it is the budget's admission of a request
     * that has not failed, and the budget wakes its waiters when responses come back (a slot released, a quota
     * learned, a pause lifted), not after a delay anyone could state in advance.
     */
    public void attempt(Exchange exchange) throws InterruptedException {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        // The previous attempt's failure is not this one's cause: left here, Camel would attach it to the next.
        if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof StoreCallRetryable) {
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
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
        // Whatever credential the exchange carries in (the operator's API token on POST /stores/{id}/sync/...)
        // is the caller's, not the store's: only the store's own, applied next, may leave.
        dropCredentials(m);
        if (call.authenticated) {
            auth.apply(call.store, call.path, m);
        } else {
            m.setHeader("Accept", "application/json");
        }
        call.sentHeaders = new HashMap<>(m.getHeaders());
        call.permit = call.budget.acquire(call.cost);
        call.attempts++;
    }

    public void afterResponse(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        Message m = exchange.getMessage();
        dropCredentials(m);
        rememberAnswer(exchange, call, m);
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = m.getBody(String.class);
        m.setBody(body);
        call.lastStatus = status;
        answers.answered(call.store.id(), status);
        long wait = call.budget.observe(call.permit, new ResponseSignals(status, PlatformModules.of(
                call.store.platform().id()).limitSignals(call.lane, status, stringHeaders(m), body), System.nanoTime()));
        if (wait >= 0) {
            call.rateLimited++;
            throw failure(exchange, call, call.rateLimited <= maxRateLimited,
                    wait > 0 ? wait : backoff.delayMillis(call.rateLimited), false, "rate limited (HTTP " + status + ")", null);
        }
        if (status == 401 && call.authenticated && !call.authRenewed && auth.renewable(call.store)) {
            call.authRenewed = true;
            throw failure(exchange, call, true, 0, true, "HTTP 401", null);
        }
        if (status >= 500 || status == 408) {
            call.failures++;
            throw failure(exchange, call, call.failures < maxAttempts, backoff.delayMillis(call.failures), false,
                    "HTTP " + status, null);
        }
    }

    public void afterTransportFailure(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        dropCredentials(exchange.getMessage());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // Already the cause below; Camel would add it once more as suppressed.
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        if (call.permit != null) {
            call.budget.abandon(call.permit);
        }
        call.failures++;
        call.lastStatus = 0;
        answers.noAnswer(call.store.id(), cause == null ? "no response" : cause.getClass().getSimpleName());
        throw failure(exchange, call, call.failures < maxAttempts, backoff.delayMillis(call.failures), false,
                cause == null ? "no response" : cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    /** The answer goes back to the caller without our bookkeeping. */
    public void finish(Exchange exchange) {
        StoreCall call = exchange.getProperty(CALL, StoreCall.class);
        exchange.setProperty(ATTEMPTS, call.attempts);
        exchange.setProperty(RATE_LIMITED, call.rateLimited);
        forget(exchange);
    }

    /**
     * Hands a failure back to the caller as if {@code direct:store-call} had no error handler of its own (the
     * {@code store-call-propagates-errors} contract). Camel marks an exchange whose error handler gave up as
     * handled by it, and a caller's own error handler (the HTTP routes' onException, for one) would then leave
     * the exception alone.
     */
    public void handBack(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        forget(exchange);
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        throw failure;
    }

    /**
     * {@code onExceptionOccurredRef} of the retry policy: Camel reads the delay before a redelivery from
     * {@code CamelRedeliveryDelay} right after this runs (the onRedelivery processor runs after the delay, too
     * late to set it), so the wait the failed attempt asked for becomes the delay here.
     */
    public Processor retryDelay() {
        return exchange -> {
            StoreCallRetryable retry = exchange.getException(StoreCallRetryable.class);
            if (retry != null) {
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, retry.waitMillis());
                LOG.debug("{} - next attempt in {} ms", retry.getMessage(), retry.waitMillis());
            }
        };
    }

    /**
     * {@code onRedeliveryRef} of the retry policy, just before the attempt goes again: after a 401 the cached
     * session is dropped, so the attempt signs in afresh, inside the budget, before it takes its permit.
     */
    public Processor beforeRedelivery() {
        return exchange -> {
            StoreCall call = exchange.getProperty(CALL, StoreCall.class);
            StoreCallRetryable retry = org.apache.camel.util.ObjectHelper.getException(StoreCallRetryable.class,
                    exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
            if (call != null && retry != null && retry.signInAgain()) {
                auth.forget(call.store);
                LOG.info("{} answered 401: logging in again", call.describe());
            }
        };
    }

    /**
     * Either Camel redelivers the attempt after {@code waitMillis} or, when this kind of failure allows no more
     * attempts, the call ends here. One place builds both, so every failure has the same top stack frame and
     * Camel does not attach each attempt's failure to the next one as suppressed.
     */
    private static StoreCallException failure(Exchange exchange, StoreCall call, boolean retry, long waitMillis,
                                              boolean signInAgain, String reason, Throwable cause) {
        exchange.setProperty(ATTEMPTS, call.attempts);
        exchange.setProperty(RATE_LIMITED, call.rateLimited);
        String message = call.describe() + " failed after " + call.attempts + " attempts: " + reason;
        return retry ? new StoreCallRetryable(message, call.lastStatus, waitMillis, signInAgain, cause)
                : new StoreCallException(message, call.lastStatus, cause);
    }

    private static void forget(Exchange exchange) {
        exchange.removeProperty(CALL);
        exchange.removeProperty(BASE_URL);
        removeRedeliveryHeaders(exchange.getMessage());
    }

    /**
     * camel-http copies the request's headers onto the answer wherever the answer has no header of that name, so
     * a caller making several calls on one exchange (a reconcile's pages) would read an earlier answer's {@code Link}
     * or limit headers as this one's. What the previous answer put there goes, unless the caller has set it since.
     */
    private static void dropPreviousAnswer(Exchange exchange, Message m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> previous = exchange.getProperty(ANSWER_HEADERS, Map.class);
        if (previous != null) {
            previous.forEach((name, value) -> {
                if (m.getHeader(name) == value) {
                    m.removeHeader(name);
                }
            });
            exchange.removeProperty(ANSWER_HEADERS);
        }
    }

    private static void rememberAnswer(Exchange exchange, StoreCall call, Message m) {
        Map<String, Object> answer = new HashMap<>();
        m.getHeaders().forEach((name, value) -> {
            if (call.sentHeaders.get(name) != value) {
                answer.put(name, value);
            }
        });
        exchange.setProperty(ANSWER_HEADERS, answer);
    }

    private static void removeRedeliveryHeaders(Message m) {
        for (String h : REDELIVERY_HEADERS) {
            m.removeHeader(h);
        }
    }

    /**
     * Every platform's credential headers, not only the store's own: a header of another platform's name that a
     * route left on the message is a secret all the same.
     */
    private static void dropCredentials(Message m) {
        CREDENTIAL_HEADERS.forEach(m::removeHeader);
    }

    /** The answer's headers, looked up without regard to case as HTTP (and every platform) promises. */
    private static Map<String, String> stringHeaders(Message m) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.getHeaders().forEach((k, v) -> {
            if (v instanceof String s) {
                out.put(k, s);
            } else if (v instanceof Number n) {
                out.put(k, n.toString());
            }
        });
        return out;
    }
}
