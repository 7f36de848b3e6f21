package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.sync.SurfaceWalker;
import java.util.function.BiFunction;

/**
 * One list a store can be synced from.
 *
 * @param name         its name in {@code stores.<id>.sync.<name>.*} and in status
 * @param kind         customers or staff
 * @param onByDefault  false for surfaces that need credentials most stores lack (switch on per store)
 * @param largestPage  the largest page the API serves: the default page size
 * @param walker       the walker for a store, given the page size to use
 * @param backfill     the endpoint a run of this surface calls first while the store has no watermark yet, for a
 *                     platform that has a faster way to read everything than paging (see {@code SyncRuns#start});
 *                     null when paging is the only way
 */
public record SyncSurface(String name, Kind kind, boolean onByDefault, int largestPage,
                          BiFunction<StoreConfig, Integer, SurfaceWalker> walker, String backfill) {

    public SyncSurface(String name, Kind kind, boolean onByDefault, int largestPage,
                       BiFunction<StoreConfig, Integer, SurfaceWalker> walker) {
        this(name, kind, onByDefault, largestPage, walker, null);
    }
}
