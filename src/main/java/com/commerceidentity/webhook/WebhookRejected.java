package com.commerceidentity.webhook;

/** A delivery we refuse (bad or missing signature, too large): the HTTP status and a reason without secrets. */
public class WebhookRejected extends RuntimeException {
    private final int status;

    public WebhookRejected(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
