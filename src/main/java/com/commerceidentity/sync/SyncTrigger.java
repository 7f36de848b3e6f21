package com.commerceidentity.sync;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import org.apache.camel.Header;

/** Checks a "sync now" request names a configured store and one of its surfaces before a run is started. */
public class SyncTrigger {
    private final StoreRegistry stores;

    public SyncTrigger(StoreRegistry stores) {
        this.stores = stores;
    }

    public void accept(@Header("id") String id, @Header("surface") String surface) {
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        if (!SyncSurfaces.offered(store).contains(surface)) {
            throw new HttpProblem(404, "store '" + id + "' (" + store.platform().id() + ") has no surface '" + surface
                    + "'; it offers " + SyncSurfaces.offered(store));
        }
    }
}
