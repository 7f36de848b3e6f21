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
 */
public record SyncSurface(String name, Kind kind, boolean onByDefault, int largestPage,
                          BiFunction<StoreConfig, Integer, SurfaceWalker> walker) {
}
