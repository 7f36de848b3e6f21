package com.commerceidentity.drop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What ops and callers learn when an export has been ingested or has failed. */
public class DropOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(DropOutcomes.class);

    private final ObjectMapper json;
    private final Path errorDir;
    private final InboxRetries retries;

    public DropOutcomes(ObjectMapper json, Path errorDir, InboxRetries retries) {
        this.json = json;
        this.errorDir = errorDir;
        this.retries = retries;
    }

    public void fileDone(Exchange exchange) {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        if (relative != null) {
            retries.cleared(relative);
        }
        LOG.info("{}: {} accepted, {} rejected", input.ref(), input.acceptedCount(), input.rejectedCount());
    }

    /**
     * A file that failed. Cut short by a stop, it stays in the inbox (no move is configured for failures, so
     * the file component leaves it) and is read again after the restart. When the database failed to commit its
     * records, it stays too and is read again once its retry is due ({@link InboxRetries}). Otherwise it moves to
     * {@code .error/} with a sibling {@code .error.txt} that says why, so nobody has to dig through logs.
     */
    public void fileFailed(Exchange exchange) throws IOException {
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        if (interruptedByStop(exchange, caught)) {
            LOG.info("{}: stopped by the shutdown after {} records; the file stays in the inbox and is finished after"
                    + " the restart", relative, input == null ? 0 : input.acceptedCount() + input.rejectedCount());
            return;
        }
        Throwable cause = rootCause(caught);
        if (InboxRetries.databaseFailure(caught)) {
            java.time.Duration wait = retries.hold(relative);
            LOG.warn("{}: the database did not commit its records ({}); the file stays in the inbox and is read again"
                    + " in {} s (records already committed publish nothing twice)", relative,
                    cause == null ? "unknown" : cause.getMessage(), wait.toMillis() / 1000.0);
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append("file: ").append(relative).append('\n');
        text.append("error: ").append(cause == null ? "unknown" : cause.getMessage()).append('\n');
        if (input != null) {
            text.append("records accepted before the error: ").append(input.acceptedCount()).append('\n');
            text.append("records rejected before the error: ").append(input.rejectedCount()).append('\n');
        }
        Path source = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        Path moved = errorDir.resolve(relative);
        PrivateFiles.createDirectories(moved.getParent());
        PrivateFiles.writeString(errorDir.resolve(relative + ".error.txt"), text.toString());
        Files.move(source, moved, StandardCopyOption.REPLACE_EXISTING);
        LOG.error("{}: cannot be read: {} (moved to {})", relative, cause == null ? "unknown" : cause.getMessage(),
                moved);
    }

    /** Not the file's fault: the service began to stop while it was read (or its batches were written). */
    public static boolean interruptedByStop(Exchange exchange, Throwable caught) {
        for (Throwable c = caught; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InputInterruptedException) {
                return true;
            }
        }
        return exchange.getContext().isStopping() || exchange.getContext().isStopped();
    }

    /** Camel wraps the real problem (bad JSON at line N, unknown platform) in execution exceptions. */
    public static Throwable rootCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecordFormatException || c instanceof com.commerceidentity.http.HttpProblem
                    || c instanceof IllegalArgumentException || c instanceof java.io.IOException) {
                return c;
            }
            if (c.getCause() == null || c.getCause() == c) {
                return c;
            }
        }
        return t;
    }

    /**
     * The HTTP drop's answer once the whole body was read: 200 with what happened to it, good lines ingested and bad
     * ones (a line that is not JSON included) counted and listed with their line; the client decides whether a
     * partial drop is a failure. A body that cannot be read through (a JSON array broken midway) is a 400 before this.
     */
    public String httpSummary(Exchange exchange) throws JsonProcessingException {
        DropInput input = exchange.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        ObjectNode body = json.createObjectNode();
        body.put("status", 200);
        body.put("input", input.ref());
        body.put("accepted", input.acceptedCount());
        body.put("rejected", input.rejectedCount());
        body.put("malformed", input.malformedCount());
        ArrayNode rejects = body.putArray("rejects");
        for (DropInput.Reject r : input.firstRejects()) {
            ObjectNode n = rejects.addObject();
            n.put("line", r.line());
            if (r.field() != null) {
                n.put("field", r.field());
            }
            n.put("reason", r.reason());
        }
        if (input.rejectedCount() > 0) {
            body.put("rejectsFile", input.rejectsFile().toString());
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return json.writeValueAsString(body);
    }
}
