package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.store.StoreRegistry;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook-inbox/retry[?store=]}: dead events go back in the queue with a fresh set of attempts,
 * once ops have fixed what killed them.
 */
public class DeadEventRequeue {
    private static final Logger LOG = LoggerFactory.getLogger(DeadEventRequeue.class);
    private final WebhookInboxRepository inbox;
    private final StoreRegistry stores;

    public DeadEventRequeue(WebhookInboxRepository inbox, StoreRegistry stores) {
        this.inbox = inbox;
        this.stores = stores;
    }

    public String requeue(Exchange exchange) throws SQLException {
        String store = exchange.getMessage().getHeader("store", String.class);
        if (store != null && store.isBlank()) {
            store = null;
        }
        // A misspelt store would re-queue nothing and look like success.
        if (store != null && stores.get(store).isEmpty()) {
            throw new HttpProblem(404, "no store '" + store + "' is configured");
        }
        int requeued = inbox.requeueDead(store);
        LOG.info("{} dead webhook event(s) re-queued{}", requeued, store == null ? "" : " for store '" + store + "'");
        return "{\"requeued\":" + requeued + (store == null ? "" : ",\"store\":\"" + store + "\"") + "}";
    }
}
