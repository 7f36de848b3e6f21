package com.commerceidentity.store;

/** A store request that still failed after every retry its failure allows; the message says which and why. */
public class StoreCallException extends RuntimeException {
    private final int status;

    public StoreCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The last HTTP status received, or 0 when the last attempt got no response at all. */
    public int status() {
        return status;
    }
}
