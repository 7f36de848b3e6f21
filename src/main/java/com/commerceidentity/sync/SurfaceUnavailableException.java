package com.commerceidentity.sync;

/**
 * The store does not offer this surface (a 404 for an endpoint the store's version lacks, an API its
 * plan does not include). Reported once, clearly, and the surface is skipped until the configuration or the plan changes.
 */
public class SurfaceUnavailableException extends RuntimeException {
    public SurfaceUnavailableException(String message) {
        super(message);
    }
}
