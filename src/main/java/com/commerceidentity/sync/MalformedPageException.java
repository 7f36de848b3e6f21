package com.commerceidentity.sync;

/** A page whose body is not the API's JSON (truncated, garbled): fetched again, a bounded number of times. */
public class MalformedPageException extends RuntimeException {
    public MalformedPageException(String message, Throwable cause) {
        super(message, cause);
    }
}
