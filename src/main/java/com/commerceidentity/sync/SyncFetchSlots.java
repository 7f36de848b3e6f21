package com.commerceidentity.sync;

import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;

/**
 * How many of a store's sync requests may be in flight at once ({@code stores.<id>.sync.max-in-flight}, else the
 * platform's own figure for reads ({@code PlatformModule#readsInFlight}), else {@code app.sync.max-in-flight}),
 * over all its surfaces' runs. The budget decides when a request may leave; this
 * caps how many wait for their answer together, since some platforms refuse more than a few concurrent requests
 * whatever their rate allows (BigCommerce limits concurrent writes to three; its reads are not limited so).
 */
public final class SyncFetchSlots {
    static final String HELD = "syncFetchSlotHeld";
    private final StoreRegistry stores;
    private final int defaultMax;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    public SyncFetchSlots(StoreRegistry stores, int defaultMax) {
        if (defaultMax < 1) {
            throw new IllegalArgumentException("app.sync.max-in-flight must be at least 1, got " + defaultMax);
        }
        this.stores = stores;
        this.defaultMax = defaultMax;
    }

    int max(StoreConfig store) {
        String v = store.settings().get("sync.max-in-flight");
        int max = v == null ? PlatformModules.of(store.platform().id()).readsInFlight().orElse(defaultMax)
                : Integer.parseInt(v.trim());
        if (max < 1) {
            throw new IllegalArgumentException("stores." + store.id() + ".sync.max-in-flight must be at least 1, got " + v);
        }
        return max;
    }

    /** Waits for one of the store's slots before the request goes to {@code direct:store-call}. */
    public void acquire(Exchange exchange) throws InterruptedException {
        String storeId = exchange.getMessage().getHeader(StoreCalls.STORE_ID, String.class);
        slotsOf(storeId).acquire();
        exchange.setProperty(HELD, storeId);
    }

    /** Once the answer (or the failure) is back. */
    public void release(Exchange exchange) {
        String storeId = exchange.getProperty(HELD, String.class);
        if (storeId != null) {
            exchange.removeProperty(HELD);
            slotsOf(storeId).release();
        }
    }

    private Semaphore slotsOf(String storeId) {
        return slots.computeIfAbsent(storeId, id -> new Semaphore(max(stores.get(id).orElseThrow(
                () -> new IllegalArgumentException("no store '" + id + "' is configured"))), true));
    }
}
