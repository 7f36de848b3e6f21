package com.commerceidentity.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The platform modules on the class path, found once with {@link ServiceLoader}, by id. */
public final class PlatformModules {

    private PlatformModules() {
    }

    private static final class Loaded {
        static final Map<String, PlatformModule> BY_ID = load();

        private static Map<String, PlatformModule> load() {
            Map<String, PlatformModule> out = new LinkedHashMap<>();
            for (PlatformModule m : ServiceLoader.load(PlatformModule.class, PlatformModules.class.getClassLoader())) {
                PlatformModule before = out.putIfAbsent(m.id(), m);
                if (before != null) {
                    throw new IllegalStateException("two platform modules claim the id '" + m.id() + "': "
                            + before.getClass().getName() + " and " + m.getClass().getName());
                }
            }
            return Map.copyOf(out);
        }
    }

    public static List<PlatformModule> all() {
        return List.copyOf(Loaded.BY_ID.values());
    }

    public static List<String> ids() {
        return Loaded.BY_ID.keySet().stream().sorted().toList();
    }

    /** The module of a known platform id (ids come from {@link com.commerceidentity.model.Platform}, already checked). */
    public static PlatformModule of(String id) {
        PlatformModule m = Loaded.BY_ID.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no platform module '" + id + "'; known: " + ids());
        }
        return m;
    }
}
