package com.commerceidentity.webhook;

import com.commerceidentity.store.StoreConfig;
import java.util.Map;

/** Checks one platform's signature on the raw request bytes, before anything parses them. */
public interface WebhookVerifier {

    /**
     * @param headers the request headers, looked up without regard to case
     * @throws WebhookRejected (401) when the signature is missing or wrong, or the store has no secret for it
     */
    VerifiedEvent verify(StoreConfig store, Map<String, String> headers, byte[] body);
}
