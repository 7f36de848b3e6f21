package com.commerceidentity.store;

/**
 * A failed attempt that another attempt may cure: a 429 or GraphQL THROTTLED, a 5xx or 408, a dropped
 * connection, a 401 a fresh sign-in may cure. {@code direct:store-call}'s error handler (routes/store-calls.yaml)
 * redelivers the attempt after {@link #waitMillis()}. It is a {@link StoreCallException} with the message a final
 * failure would have, so if Camel stops redelivering (app.store-call.max-redeliveries) the caller still gets the
 * store, the request, the attempts so far and the cause.
 */
public class StoreCallRetryable extends StoreCallException {
    private final long waitMillis;
    private final boolean signInAgain;

    public StoreCallRetryable(String message, int status, long waitMillis, boolean signInAgain, Throwable cause) {
        super(message, status, cause);
        this.waitMillis = waitMillis;
        this.signInAgain = signInAgain;
    }

    /** What the platform (Retry-After, a window's reset, the points' restore rate) or the back-off asks for. */
    public long waitMillis() {
        return waitMillis;
    }

    /** The store answered 401 to a session token: drop it, so the next attempt signs in first. */
    public boolean signInAgain() {
        return signInAgain;
    }
}
