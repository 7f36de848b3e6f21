package com.commerceidentity.model;

import com.commerceidentity.platform.PlatformModules;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A commerce platform we read identities from, by the id that appears in keys, paths and config. The known
 * ids are those of the platform modules on the class path ({@link PlatformModules}); the model itself names
 * none, so adding a platform adds a module and touches nothing here. One instance per id.
 */
public final class Platform {
    private static final Map<String, Platform> INTERNED = new ConcurrentHashMap<>();

    private final String id;

    private Platform(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses a platform id; an unknown id is an error that lists the known ones (never a silent drop). */
    public static Platform of(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        if (!PlatformModules.ids().contains(wanted)) {
            throw new IllegalArgumentException("unknown platform '" + id + "'; known platforms: "
                    + String.join(", ", PlatformModules.ids()));
        }
        return INTERNED.computeIfAbsent(wanted, Platform::new);
    }

    @Override
    public String toString() {
        return id;
    }
}
