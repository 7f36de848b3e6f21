package com.commerceidentity.sync;

import com.commerceidentity.model.Kind;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which surfaces a store has (its platform module's) and how each is configured: {@code stores.<id>.sync.<surface>.enabled},
 * {@code .cron} (else {@code stores.<id>.sync.cron}), {@code .page-size}; {@code stores.<id>.sync.overlap-seconds}.
 */
public class SyncSurfaces {
    private final String defaultCron;
    private final String defaultStaffCron;
    private final String defaultReconcileCron;
    private final Duration defaultOverlap;

    /**
     * The defaults of every store, from app.sync.cron, app.sync.staff-cron, app.sync.reconcile-cron and
     * app.sync.overlap-seconds.
     */
    public SyncSurfaces(String defaultCron, String defaultStaffCron, String defaultReconcileCron, Duration defaultOverlap) {
        this.defaultCron = defaultCron;
        this.defaultStaffCron = defaultStaffCron;
        this.defaultReconcileCron = defaultReconcileCron;
        this.defaultOverlap = defaultOverlap;
    }

    /** Whether the surface lists staff: such a surface is listed in full each run and its vanished deleted at once. */
    public static boolean staff(StoreConfig store, String surface) {
        return surfaces(store).stream().anyMatch(s -> s.name().equals(surface) && s.kind() == Kind.STAFF);
    }

    /**
     * The enabled surfaces that list the same kind of account as {@code surface} (itself first): together they are
     * what the store holds of that kind, so deletions are decided on all of them (a staff member whose role
     * changes moves from one role's list to another's and is not deleted).
     */
    public List<String> sameKind(StoreConfig store, String surface) {
        SyncSurface of = surfaces(store).stream().filter(s -> s.name().equals(surface)).findFirst().orElse(null);
        List<String> out = new ArrayList<>();
        out.add(surface);
        if (of == null) {
            return out;
        }
        for (SyncSurface s : surfaces(store)) {
            if (s.kind() == of.kind() && !s.name().equals(surface) && enabled(store, s.name())) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** The keys a store may set per surface: {@code stores.<id>.sync.<surface>.<key>}. */
    public static List<String> keysPerSurface() {
        return List.of("enabled", "cron", "page-size", "reconcile-cron");
    }

    /** Every surface a platform offers, in the order they are scheduled. */
    public static List<String> offered(StoreConfig store) {
        return surfaces(store).stream().map(SyncSurface::name).toList();
    }

    private static List<SyncSurface> surfaces(StoreConfig store) {
        return PlatformModules.of(store.platform().id()).surfaces();
    }

    /** A surface its module marks off by default (it needs credentials most stores lack) runs only when switched on. */
    public static boolean enabled(StoreConfig store, String surface) {
        String v = store.settings().get("sync." + surface + ".enabled");
        if (v != null) {
            return Boolean.parseBoolean(v.trim());
        }
        boolean onByDefault = surfaces(store).stream().anyMatch(s -> s.name().equals(surface) && s.onByDefault());
        return onByDefault && Boolean.parseBoolean(store.setting("sync.enabled"));
    }

    /**
     * {@code stores.<id>.sync.<surface>.cron}, else for a staff surface {@code stores.<id>.sync.staff-cron} (default
     * app.sync.staff-cron: ops may list staff more often than customers), else {@code stores.<id>.sync.cron}.
     */
    public String cron(StoreConfig store, String surface) {
        String own = store.settings().get("sync." + surface + ".cron");
        if (own != null) {
            return own;
        }
        if (staff(store, surface)) {
            return store.settings().getOrDefault("sync.staff-cron", defaultStaffCron);
        }
        return store.settings().getOrDefault("sync.cron", defaultCron);
    }

    /** Deletions of customers are found by listing everything: by default daily, at a quiet hour. */
    public String reconcileCron(StoreConfig store, String surface) {
        return store.settings().getOrDefault("sync." + surface + ".reconcile-cron",
                store.settings().getOrDefault("sync.reconcile-cron", defaultReconcileCron));
    }

    public List<String> scheduled(StoreConfig store) {
        List<String> out = new ArrayList<>();
        for (String s : offered(store)) {
            if (enabled(store, s)) {
                out.add(s);
            }
        }
        return out;
    }

    public Duration overlap(StoreConfig store) {
        String v = store.settings().get("sync.overlap-seconds");
        return v == null ? defaultOverlap : Duration.ofSeconds(Long.parseLong(v.trim()));
    }

    public SurfaceWalker walker(StoreConfig store, String surface) {
        return walker(store, surface, pageSize(store, surface));
    }

    /** The surface's walker with a page size of its own (a check lists one record). */
    public SurfaceWalker walker(StoreConfig store, String surface, int pageSize) {
        SyncSurface found = surface(store, surface);
        return found.walker().apply(store, pageSize);
    }

    /** The module's description of one surface of the store's platform. */
    public static SyncSurface surface(StoreConfig store, String surface) {
        return surfaces(store).stream().filter(s -> s.name().equals(surface)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("store '" + store.id() + "' (" + store.platform().id()
                        + ") has no surface '" + surface + "'; it offers " + offered(store)));
    }

    /** {@code stores.<id>.sync.<surface>.page-size}, else the largest page the surface's API serves. */
    public static int pageSize(StoreConfig store, String surface) {
        String v = store.settings().get("sync." + surface + ".page-size");
        return v == null ? surface(store, surface).largestPage() : Integer.parseInt(v.trim());
    }
}
