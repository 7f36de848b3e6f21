package com.commerceidentity.drop;

/**
 * An export was cut short because the service is stopping. It is not the export's fault: a file stays in the
 * inbox and is read again after the restart (records already committed then change nothing), an HTTP drop
 * is answered 503 so its sender sends it again.
 */
public class InputInterruptedException extends RuntimeException {
    public InputInterruptedException(String message) {
        super(message);
    }
}
