package com.commerceidentity.sync;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.SurfaceCheck;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.store.StoreCallException;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of {@code POST /stores/{id}/check}: one cheap request per enabled surface (its first page, one record
 * long, through {@code direct:store-call}), each answer read by the platform's module
 * ({@link com.commerceidentity.platform.PlatformModule#check}): ok, auth refused, scope missing or unavailable,
 * with the platform's own message. Nothing is ingested.
 */
public class StoreChecks {
    static final String RUN = "storeCheck";
    static final String MORE = "checkMore";

    private static final class Check {
        final StoreConfig store;
        final List<String> pending;
        final Map<String, Object> results = new LinkedHashMap<>();
        String surface;
        SurfaceWalker walker;
        PageRequest request;

        Check(StoreConfig store, List<String> pending) {
            this.store = store;
            this.pending = pending;
        }
    }

    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final com.commerceidentity.store.StoreCalls calls;

    public StoreChecks(StoreRegistry stores, SyncSurfaces surfaces, com.commerceidentity.store.StoreCalls calls,
                       com.fasterxml.jackson.databind.ObjectMapper json) {
        this.calls = calls;
        this.stores = stores;
        this.surfaces = surfaces;
        this.json = json;
    }

    public void start(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        calls.forgetSession(store.id()); // a store that signs in proves its login, not an old session
        Check check = new Check(store, new ArrayList<>(surfaces.scheduled(store)));
        exchange.setProperty(RUN, check);
        next(exchange, check);
    }

    private void next(Exchange exchange, Check check) {
        if (check.pending.isEmpty()) {
            exchange.setProperty(MORE, false);
            return;
        }
        check.surface = check.pending.remove(0);
        check.walker = surfaces.walker(check.store, check.surface, 1);
        check.request = check.walker.page(null, 0);
        exchange.setProperty(MORE, true);
        SyncRuns.prepare(exchange.getMessage(), check.store.id(), check.request);
    }

    /** Reads the answer to the current surface's request (or why there was none) and prepares the next one. */
    public void answer(Exchange exchange) {
        Check check = exchange.getProperty(RUN, Check.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        SurfaceCheck result;
        if (failure != null) {
            result = refused(failure);
        } else {
            Message m = exchange.getMessage();
            int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            SyncSurface surface = SyncSurfaces.surface(check.store, check.surface);
            result = PlatformModules.of(check.store.platform().id()).check(surface, check.walker, check.request,
                    status, m.getBody(String.class), SyncRuns.headers(m));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("outcome", result.outcome().id());
        r.put("message", result.message());
        if (result.status() != 0) {
            r.put("httpStatus", result.status());
        }
        check.results.put(check.surface, r);
        next(exchange, check);
    }

    /** A request that got no answer to read: a refused sign-in, a secret not set, a store out of reach. */
    private static SurfaceCheck refused(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof StoreCallException)) {
            t = t.getCause();
        }
        if (t instanceof StoreCallException call && (call.status() == 401 || call.status() == 403)) {
            return new SurfaceCheck(SurfaceCheck.Outcome.AUTH_REFUSED, call.getMessage(), call.status());
        }
        String message = failure.getMessage();
        if (message != null && message.contains(" is not set")) {
            return new SurfaceCheck(SurfaceCheck.Outcome.AUTH_REFUSED, message, 0);
        }
        return new SurfaceCheck(SurfaceCheck.Outcome.FAILED, message,
                t instanceof StoreCallException call ? call.status() : 0);
    }

    /** The JSON answer: the store and each enabled surface's outcome. */
    public String result(Exchange exchange) throws com.fasterxml.jackson.core.JsonProcessingException {
        Check check = exchange.getProperty(RUN, Check.class);
        exchange.removeProperty(RUN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", check.store.id());
        out.put("platform", check.store.platform().id());
        out.put("surfaces", check.results);
        boolean ok = check.results.values().stream()
                .allMatch(v -> "ok".equals(((Map<?, ?>) v).get("outcome")));
        out.put("ok", ok);
        // the check answered, whatever the store did: the last store call's status is not this answer's
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return json.writeValueAsString(out);
    }

}
