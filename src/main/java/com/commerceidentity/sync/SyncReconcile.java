package com.commerceidentity.sync;

import com.commerceidentity.graph.Deletions;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.LinkedAccount;
import com.commerceidentity.graph.Observation;
import com.commerceidentity.model.Surface;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.model.MappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling cannot see deletions, so each surface is listed in full now and then ({@code sync-reconcile}: customer
 * surfaces daily, staff surfaces at the end of each of their runs) and
 * every account the graph still holds for it but the store no longer lists becomes {@code account.deleted}.
 * A listing that would delete most of a store (an outage answering empty pages, wrong credentials scoped to
 * nothing) is refused rather than trusted: {@code stores.<id>.sync.reconcile.max-delete-share}, default 0.5; so is
 * one that may have missed accounts (a page empty before the end, fewer listed than the store announced), whatever
 * it would delete. A failed page deletes nothing. The other enabled surfaces of the same kind are listed with it:
 * an account the store still lists on any of them is not deleted.
 */
public class SyncReconcile {
    static final String RUN = "reconcileRun";
    /**
     * The reconcile of a surface holds the sync lease of {@code reconcile/<surface>}: every node's cron fires it,
     * one node runs it. A reconcile cut short by its node's death is not taken over (its lease is left out of
     * {@link SyncLeases#orphaned}); the next one lists the store again.
     */
    static final String LEASE_PREFIX = "reconcile/";
    private static final Logger LOG = LoggerFactory.getLogger(SyncReconcile.class);

    private static final class Listing {
        final StoreConfig store;
        /** The surface asked for first, then the other enabled surfaces listing the same kind of account. */
        final List<SurfaceWalker> walkers;
        final Set<String> ids = new HashSet<>();
        SurfaceWalker walker;
        int index;
        PageRequest request;
        int offset;
        Long expected;
        int pages;
        int malformed;
        int unreadable;
        int deleted;
        /** Why the listing may lack accounts the store has (a page empty before the end, fewer than announced). */
        String incomplete;

        Listing(StoreConfig store, List<SurfaceWalker> walkers) {
            this.store = store;
            this.walkers = walkers;
            this.walker = walkers.get(0);
        }

        /** Moves on to the next surface of the same kind; false when every one is listed. */
        boolean nextSurface() {
            if (++index >= walkers.size()) {
                return false;
            }
            walker = walkers.get(index);
            offset = 0;
            expected = null;
            request = walker.page(null, 0);
            return true;
        }
    }

    private final StoreRegistry stores;
    private final SyncSurfaces surfaces;
    private final GraphStore graph;
    private final Clock clock;
    private final SyncLeases leases;
    private final Map<String, Map<String, Object>> last = new ConcurrentHashMap<>();
    /**
     * Store surfaces this node is listing now. A cron's trigger returns at once (the listing has a thread of its own),
     * so this, not Quartz, keeps a listing that outlasts its interval from starting twice.
     */
    private final java.util.Set<String> listingNow = ConcurrentHashMap.newKeySet();

    public SyncReconcile(StoreRegistry stores, SyncSurfaces surfaces, GraphStore graph, Clock clock) {
        this(stores, surfaces, graph, clock, SyncLeases.local());
    }

    /** @param leases which node of several sharing one database runs a surface's reconcile */
    public SyncReconcile(StoreRegistry stores, SyncSurfaces surfaces, GraphStore graph, Clock clock, SyncLeases leases) {
        this.leases = leases;
        this.stores = stores;
        this.surfaces = surfaces;
        this.graph = graph;
        this.clock = clock;
    }

    public void start(Exchange exchange) {
        Message m = exchange.getMessage();
        String storeId = m.getHeader(StoreCalls.STORE_ID, String.class);
        StoreConfig store = stores.get(storeId).orElseThrow(() -> new IllegalArgumentException(
                "no store '" + storeId + "' is configured"));
        String surface = m.getHeader(SyncRuns.SURFACE, String.class);
        String key = store.id() + "/" + surface;
        if (!listingNow.add(key)) {
            LOG.info("reconcile {}: the last one is still listing; this trigger is skipped", key);
            exchange.setProperty(SyncRuns.MORE, false);
            return;
        }
        try {
            if (!leases.claim(store.id(), LEASE_PREFIX + surface)) {
                LOG.info("reconcile {}/{}: another node runs it", store.id(), surface);
                exchange.setProperty(SyncRuns.MORE, false);
                listingNow.remove(key);
                return;
            }
            List<SurfaceWalker> walkers = new ArrayList<>();
            for (String s : surfaces.sameKind(store, surface)) {
                walkers.add(surfaces.walker(store, s));
            }
            Listing listing = new Listing(store, walkers);
            listing.request = listing.walker.page(null, 0);
            exchange.setProperty(RUN, listing);
            exchange.setProperty(SyncRuns.MORE, true);
            SyncRuns.prepare(m, store.id(), listing.request);
        } catch (RuntimeException e) {
            listingNow.remove(key);
            throw e;
        }
    }

    /** Remembers the ids on this page and asks for the next one. */
    public void collect(Exchange exchange) {
        Listing listing = exchange.getProperty(RUN, Listing.class);
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code < 200 || code >= 300) {
            throw new IllegalStateException("listing " + listing.walker.surface() + " of store '" + listing.store.id()
                    + "' answered HTTP " + code + "; nothing was deleted");
        }
        Page page;
        try {
            page = listing.walker.read(listing.request, m.getBody(String.class), SyncRuns.headers(m));
        } catch (MalformedPageException e) {
            if (++listing.malformed > 3) {
                throw new IllegalStateException(e.getMessage() + "; nothing was deleted", e);
            }
            SyncRuns.prepare(m, listing.store.id(), listing.request);
            return;
        }
        listing.pages++;
        if (listing.expected == null && page.total() != null) {
            listing.expected = listing.offset + page.total();
        }
        for (JsonNode r : page.records()) {
            try {
                listing.ids.add(listing.walker.id(r));
            } catch (MappingException e) {
                // nothing to compare it with; the sync run keeps such a record as a reject
                listing.unreadable++;
            }
        }
        listing.offset += page.records().size();
        if (page.last() || page.records().isEmpty()) {
            if (!page.last() && listing.incomplete == null) {
                listing.incomplete = listing.walker.surface() + " page " + listing.pages + " came back empty before the"
                        + " end of the list";
            } else if (listing.expected != null && listing.offset < listing.expected && listing.incomplete == null) {
                listing.incomplete = listing.walker.surface() + " listed " + listing.offset + " of the "
                        + listing.expected + " the store announced";
            }
            if (listing.nextSurface()) {
                SyncRuns.prepare(m, listing.store.id(), listing.request);
            } else {
                exchange.setProperty(SyncRuns.MORE, false);
            }
            return;
        }
        // the platform's cursor, else the next page as the answer's own pagination says, else by position
        listing.request = page.next() != null ? page.next()
                : page.following() != null ? page.following()
                : listing.walker.page(null, listing.offset);
        SyncRuns.prepare(m, listing.store.id(), listing.request);
    }

    /** The body becomes a deletion for each account the store no longer lists, for the identity graph. */
    public List<Observation> vanished(Exchange exchange) throws SQLException {
        Listing listing = exchange.getProperty(RUN, Listing.class);
        String prefix = listing.store.platform().id() + ":" + listing.store.id() + ":" + listing.walker.kind().id() + ":";
        List<LinkedAccount> known = graph.activeAccountsByPrefix(prefix);
        Instant now = clock.instant();
        List<Observation> deletions = new ArrayList<>();
        for (LinkedAccount a : known) {
            if (!listing.ids.contains(a.account().key().sourceId())) {
                deletions.add(new Observation(Deletions.deleted(a.account(), now, Surface.REST), "reconcile:" + listing.store.id() + "/"
                        + listing.walkers.get(0).surface() + "@" + now));
            }
        }
        double share = Double.parseDouble(listing.store.setting("sync.reconcile.max-delete-share"));
        if (!deletions.isEmpty() && deletions.size() > Math.max(5, share * known.size())) {
            throw new IllegalStateException("the store lists " + listing.ids.size() + " " + listing.walkers.get(0).surface()
                    + " but the graph holds " + known.size() + ": deleting " + deletions.size() + " looks like an"
                    + " outage, not deletions; nothing was deleted (raise stores." + listing.store.id()
                    + ".sync.reconcile.max-delete-share if this is real)");
        }
        if (!deletions.isEmpty() && listing.incomplete != null) {
            // A listing cut short would delete whoever was on the pages it missed.
            throw new IllegalStateException("the listing is incomplete (" + listing.incomplete + "): nothing was deleted");
        }
        listing.deleted = deletions.size();
        return deletions;
    }

    public void finish(Exchange exchange) {
        Listing listing = exchange.getProperty(RUN, Listing.class);
        exchange.removeProperty(RUN);
        if (listing == null) {
            return;
        }
        listingNow.remove(listing.store.id() + "/" + listing.walkers.get(0).surface());
        leases.letLapse(listing.store.id(), LEASE_PREFIX + listing.walkers.get(0).surface());
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("store", listing.store.id());
        s.put("surface", listing.walkers.get(0).surface());
        if (listing.walkers.size() > 1) {
            s.put("listedWith", listing.walkers.subList(1, listing.walkers.size()).stream().map(SurfaceWalker::surface).toList());
        }
        s.put("outcome", (failure == null ? SyncOutcome.COMPLETED : SyncOutcome.FAILED).id());
        if (failure != null) {
            s.put("message", failure.getMessage());
        }
        s.put("finishedAt", clock.instant().toString());
        s.put("pages", listing.pages);
        if (listing.unreadable > 0) {
            s.put("unreadableIds", listing.unreadable);
        }
        s.put("listed", listing.ids.size());
        s.put("deleted", listing.deleted);
        last.put(listing.store.id() + "/" + listing.walkers.get(0).surface(), s);
        if (failure == null) {
            LOG.info("reconcile {}", s);
        } else {
            LOG.warn("reconcile {}/{} failed: {}", listing.store.id(), listing.walkers.get(0).surface(), failure.getMessage());
        }
    }

    public Map<String, Object> lastRun(String storeId, String surface) {
        return last.get(storeId + "/" + surface);
    }
}
