package com.commerceidentity.sync;

import com.commerceidentity.model.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * How one surface of one platform is listed: the request for a page and how to read the answer. Surfaces that
 * filter by update time are walked by keyset (everything updated at or after an instant, oldest first), so a
 * record that changes while we page moves behind us and is read again, never skipped; the rest are listed in
 * full with the platform's own cursor.
 */
public interface SurfaceWalker {

    /** The surface's name in configuration and status: {@code customers}, {@code staff}, {@code users}, ... */
    String surface();

    Kind kind();

    /** The API its pages come from, recorded with each account observation (REST unless the platform says). */
    default com.commerceidentity.model.Surface api() {
        return com.commerceidentity.model.Surface.REST;
    }

    /** True when the API filters by update time and sorts by it, so runs can be incremental. */
    boolean incremental();

    int pageSize();

    /**
     * The first page of records updated at or after {@code since} (null: from the beginning), starting
     * {@code offset} records in (only used when many records share one instant).
     */
    PageRequest page(Instant since, int offset);

    /**
     * Page {@code number} (from 1) of the records updated in [{@code since}, {@code until}] (since null: from the
     * beginning), oldest first, addressed by number or offset so that several pages can be fetched at once; null
     * when the API cannot bound by update time or address a page by position (cursor APIs). With the upper bound
     * the set only shrinks while it is paged (a record changed later leaves it), so a page reporting the same
     * {@link #snapshotTotal} as the first is a slice of the same list.
     */
    default PageRequest snapshotPage(Instant since, Instant until, int number) {
        return null;
    }

    /**
     * The first page of the records updated in [{@code since}, {@code until}] (both bounds inclusive, or the upper
     * one exclusive: either is read right), oldest first, whose later pages follow the cursor its answer carries
     * ({@link Page#next}); null when the API cannot bound a cursor walk by update time. With it and
     * {@link #countRequest}, a run cuts its range into time windows walked side by side ("lanes").
     */
    default PageRequest windowPage(Instant since, Instant until) {
        return null;
    }

    /**
     * A request counting the records updated in [{@code since}, {@code until}], as {@link #windowPage} bounds them;
     * null when the API cannot count so. It is a request like any other: it waits for and spends the budget.
     */
    default PageRequest countRequest(Instant since, Instant until) {
        return null;
    }

    /**
     * Reads the answer to {@link #countRequest}.
     *
     * @throws MalformedPageException when the body is not the count the API sends
     */
    default long readCount(String body) {
        throw new UnsupportedOperationException(surface() + " cannot count by update time");
    }

    /** How many records the whole snapshot held when page {@code number} of it was read, by that page's answer. */
    default Long snapshotTotal(Page page, int number) {
        return page.total() == null ? null : page.total() + (long) (number - 1) * pageSize();
    }

    /**
     * True when a page reporting {@code total} (see {@link #snapshotTotal}) is still a slice of the snapshot whose
     * first page reported {@code first}: by default only the same count, since the upper bound lets the set only
     * shrink, and a record leaving it moves the positions after it.
     */
    default boolean sameSnapshot(long first, long total) {
        return first == total;
    }

    /** Reads a 2xx answer; throws {@link MalformedPageException} when the body is not what the API sends. */
    Page read(PageRequest request, String body, Map<String, String> headers);

    /**
     * The record's update time, its version (what incremental runs filter on).
     *
     * @throws com.commerceidentity.model.MappingException naming the field when the time is missing or cannot be
     *         read (see {@link RecordFields}); an incremental run then keeps the record as a reject
     */
    Instant updatedAt(JsonNode record);

    /**
     * The record's id on the platform.
     *
     * @throws com.commerceidentity.model.MappingException naming the field when the id is missing or cannot be read
     */
    String id(JsonNode record);

    /** Why a 404 or 403 means the store does not offer this surface (reported as the run's message). */
    default String unavailable(int code) {
        return surface() + " answered HTTP " + code;
    }
}
