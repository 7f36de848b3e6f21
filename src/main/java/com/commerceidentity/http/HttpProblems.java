package com.commerceidentity.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.IngestHeaders;
import com.commerceidentity.drop.RecordFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders a failed HTTP exchange as a JSON error with the right status; never echoes the request body. */
public class HttpProblems {
    private static final Logger LOG = LoggerFactory.getLogger(HttpProblems.class);
    private final ObjectMapper json;
    private final long retryAfterSeconds;

    public HttpProblems(ObjectMapper json, long retryAfterSeconds) {
        this.json = json;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Handler
    public String render(Exchange exchange) throws JsonProcessingException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = com.commerceidentity.drop.DropOutcomes.rootCause(caught);
        Map<String, Object> body;
        int status;
        if (cause instanceof HttpProblem p) {
            status = p.status();
            body = p.body();
            LOG.info("{} {} -> {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    LogSafe.of(exchange.getMessage().getHeader(Exchange.HTTP_PATH)), status, LogSafe.of(p.getMessage()));
        } else if (cause instanceof RecordFormatException f) {
            status = 400;
            body = new LinkedHashMap<>();
            body.put("status", 400);
            body.put("error", "malformed body: " + f.getMessage());
            body.put("line", f.line());
            body.put("column", f.column());
            DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
            if (input != null) {
                body.put("accepted", input.acceptedCount());
                body.put("rejected", input.rejectedCount());
            }
        } else if (com.commerceidentity.drop.DropOutcomes.interruptedByStop(exchange, cause)) {
            // the records committed so far change nothing when the sender sends the body again
            status = 503;
            body = Map.of("status", 503, "error", "the service is stopping; send the export again after "
                    + retryAfterSeconds + " s");
            LOG.info("{} {} -> 503: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    LogSafe.of(exchange.getMessage().getHeader(Exchange.HTTP_PATH)),
                    cause == null ? "stopping" : LogSafe.of(cause.getMessage()));
        } else if (com.commerceidentity.drop.InboxRetries.databaseFailure(caught)) {
            // the database's failure, not the body's: the same body goes through once it is back
            status = 503;
            body = Map.of("status", 503, "error", "the database did not commit the records (" + cause.getMessage()
                    + "); send the export again after " + retryAfterSeconds + " s");
            LOG.warn("{} {} -> 503: the database did not commit the records: {}",
                    exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    LogSafe.of(exchange.getMessage().getHeader(Exchange.HTTP_PATH)), LogSafe.of(cause.getMessage()));
        } else {
            status = 500;
            body = Map.of("status", 500, "error", "internal error: " + (cause == null ? "unknown" : cause.getMessage()));
            LOG.error("{} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    LogSafe.of(exchange.getMessage().getHeader(Exchange.HTTP_PATH)), cause);
        }
        exchange.getMessage().removeHeaders("*");
        if (status == 503) {
            exchange.getMessage().setHeader("Retry-After", retryAfterSeconds);
        }
        if (cause instanceof HttpProblem p) {
            p.headers().forEach(exchange.getMessage()::setHeader);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return json.writeValueAsString(body);
    }
}
