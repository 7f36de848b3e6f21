package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import org.apache.camel.Exchange;

/**
 * {@code GET /webhook-inbox}: rows per status and the most recent failed and dead events with their attempts,
 * next attempt and error, so ops see what is owed without reading the database. Never bodies: they hold
 * customers' personal data.
 */
public class InboxReport {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    private final WebhookInboxRepository inbox;
    private final RetrySchedule retries;
    private final ObjectMapper json;

    public InboxReport(WebhookInboxRepository inbox, RetrySchedule retries, ObjectMapper json) {
        this.inbox = inbox;
        this.retries = retries;
        this.json = json;
    }

    public String report(Exchange exchange) throws SQLException, JsonProcessingException {
        String limitText = exchange.getMessage().getHeader("limit", String.class);
        int limit;
        try {
            limit = limitText == null || limitText.isBlank() ? DEFAULT_LIMIT : Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "limit must be a whole number between 1 and " + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HttpProblem(400, "limit must be a whole number between 1 and " + MAX_LIMIT);
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode counts = out.putObject("counts");
        inbox.statusCounts().forEach(counts::put);
        out.putObject("retry").put("maxAttempts", retries.maxAttempts())
                .put("firstDelayMs", retries.firstDelay().toMillis()).put("maxDelayMs", retries.maxDelay().toMillis());
        ArrayNode recent = out.putArray("recent");
        for (WebhookInboxRepository.TroubledEvent e : inbox.troubled(limit)) {
            ObjectNode row = recent.addObject();
            row.put("seq", e.seq());
            row.put("status", e.status());
            row.put("platform", e.platform());
            row.put("store", e.store());
            row.put("topic", e.topic());
            row.put("receivedAt", e.receivedAt().toString());
            row.put("attempts", e.attempts());
            row.put("nextAttemptAt", e.nextAttemptAt() == null ? null : e.nextAttemptAt().toString());
            row.put("error", e.error());
        }
        return json.writeValueAsString(out);
    }
}
