package com.commerceidentity.app;

import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.store.StoreDefaults;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncSurfaces;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The keys a store may have after {@code stores.<id>.}, so that {@code STORES_<ID>_<KEY>} in the environment can be
 * told apart from a typo: its address and credentials, every key {@code app.store-defaults.*} gives a default for,
 * and the per-surface sync keys of every surface a platform module offers.
 */
final class StoreKeys {
    private StoreKeys() {
    }

    static Set<String> known(PropertiesComponent pc) {
        Set<String> out = new TreeSet<>(StoreRegistry.keysOfEveryStore());
        out.addAll(StoreDefaults.from(pc.loadProperties(k -> k.startsWith(StoreDefaults.PREFIX))).keySet());
        for (PlatformModule module : PlatformModules.all()) {
            for (SyncSurface surface : module.surfaces()) {
                SyncSurfaces.keysPerSurface().forEach(k -> out.add("sync." + surface.name() + "." + k));
            }
        }
        return out;
    }
}
