package com.commerceidentity.sync;

/**
 * The store does not offer this surface (a 404 for Magento's admin users, a Plus-only Shopify API on another
 * plan). Reported once, clearly, and the surface is skipped until the configuration or the plan changes.
 */
public class SurfaceUnavailableException extends RuntimeException {
    public SurfaceUnavailableException(String message) {
        super(message);
    }
}
