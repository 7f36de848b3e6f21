package com.commerceidentity.drop;

import com.commerceidentity.graph.Observation;
import com.commerceidentity.model.Account;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.LogDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.DefaultExchange;

/**
 * Hands each canonical account of a mapped chunk, one at a time, to the route ops edit for per-record rules
 * ({@value #ENDPOINT}, routes/record-rules.yaml). Records travel in chunks, so a rule written on the chunk would keep
 * or drop 250 records at once; here the body is one {@link Account} and its fields are headers. A record the rule
 * {@code stop}s is dropped alone and counted as a reject with {@link #DROP_REASON} (or a default) as its reason, so it
 * is seen where rejects are and the input still settles; a rule that throws rejects that record with the exception
 * as its reason. {@link #ADD_TAG} adds a tag to the account's access tags.
 */
public class RecordRules {
    public static final String ENDPOINT = "direct:record-rules";
    /** Header a rule sets to say why it stops a record. */
    public static final String DROP_REASON = "dropReason";
    /** Header a rule sets to add a tag (or several, comma-separated) to the account's access tags. */
    public static final String ADD_TAG = "addTag";
    static final String FIELD = "record-rules";

    private final CamelContext context;
    private final RejectRecorder rejects;
    private ProducerTemplate producer;
    /** The rules route last looked at, and whether it passes every record through unchanged. */
    private volatile Checked checked = new Checked(null, false);

    private record Checked(RouteDefinition route, boolean passThrough) {
    }

    public RecordRules(CamelContext context, RejectRecorder rejects) {
        this.context = context;
        this.rejects = rejects;
    }

    @Handler
    public List<Observation> apply(Exchange chunk) {
        @SuppressWarnings("unchecked")
        List<Observation> in = chunk.getMessage().getBody(List.class);
        if (in == null || in.isEmpty()) {
            return in;
        }
        if (passesEverythingThrough()) {
            // the stock file: a record exchange each would cost about a tenth of the ingest rate for nothing
            return in;
        }
        DropInput input = chunk.getProperty(IngestHeaders.DROP_INPUT, DropInput.class);
        List<Observation> out = new ArrayList<>(in.size());
        for (Observation observation : in) {
            if (observation.erasure()) {
                out.add(observation); // an erasure is a person's right, not a record a rule may drop
                continue;
            }
            Exchange record = ruleExchange(observation.account());
            // by URI each time: a reload of routes/record-rules.yaml may replace the endpoint
            producer().send(ENDPOINT, record);
            long line = line(observation.inputRef());
            if (record.getException() != null) {
                Exception e = record.getException();
                drop(input, line, "routes/record-rules.yaml failed on this record: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), observation);
            } else if (record.isRouteStop()) {
                String reason = record.getMessage().getHeader(DROP_REASON, String.class);
                drop(input, line, reason == null || reason.isBlank() ? "dropped by routes/record-rules.yaml" : reason,
                        observation);
            } else {
                out.add(withTags(observation, record.getMessage().getHeader(ADD_TAG, String.class)));
            }
        }
        return out;
    }

    /**
     * True while the route consuming {@value #ENDPOINT} can change no record: its only steps are {@code log}
     * steps whose level is off, and no route configuration intercepts it. Looked at again whenever the route is
     * replaced (a reload of routes/record-rules.yaml), so ops need not remember a switch.
     */
    public boolean passesEverythingThrough() {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinitions().stream()
                .filter(r -> r.getInput() != null && r.getInput().getEndpointUri() != null
                        && ENDPOINT.equals(r.getInput().getEndpointUri().replace("://", ":")))
                .findFirst().orElse(null);
        Checked last = checked;
        if (last.route() != route) {
            last = new Checked(route, route != null && onlyQuietLogs(route) && notIntercepted(model, route));
            checked = last;
        }
        return last.passThrough();
    }

    private static boolean onlyQuietLogs(RouteDefinition route) {
        for (ProcessorDefinition<?> step : route.getOutputs()) {
            if (!(step instanceof LogDefinition log) || log.getLoggerBean() != null || log.getLogger() != null) {
                return false;
            }
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(
                    log.getLogName() != null ? log.getLogName() : route.getRouteId());
            String level = log.getLoggingLevel() == null ? "INFO" : log.getLoggingLevel().toUpperCase(Locale.ROOT);
            boolean on = switch (level) {
                case "TRACE" -> logger.isTraceEnabled();
                case "DEBUG" -> logger.isDebugEnabled();
                case "OFF" -> false;
                default -> true;
            };
            if (on) {
                return false;
            }
        }
        return true;
    }

    private static boolean notIntercepted(Model model, RouteDefinition route) {
        for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
            boolean applies = c.getId() == null || c.getId().equals(route.getRouteConfigurationId());
            if (applies && (!c.getIntercepts().isEmpty() || !c.getInterceptFroms().isEmpty()
                    || !c.getInterceptSendTos().isEmpty() || !c.getOnCompletions().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private Exchange ruleExchange(Account account) {
        Exchange record = new DefaultExchange(context);
        Message m = record.getMessage();
        m.setBody(account);
        m.setHeader("email", account.email());
        m.setHeader("platform", account.key().platform().id());
        m.setHeader("store", account.key().store());
        m.setHeader("kind", account.key().kind().id());
        m.setHeader("sourceId", account.key().sourceId());
        m.setHeader("status", account.status().id());
        m.setHeader("surface", account.surface().toString());
        List<String> tags = account.access().tags();
        m.setHeader("tags", tags == null ? "" : String.join(",", tags));
        return record;
    }

    private void drop(DropInput input, long line, String reason, Observation observation) {
        input.unaccepted(); // counted once, as a reject: what settles the input is accepted + rejected
        rejects.reject(input, new DropInput.Reject(line, FIELD, reason), observation.account().key().toString());
    }

    private static Observation withTags(Observation observation, String add) {
        if (add == null || add.isBlank()) {
            return observation;
        }
        Account account = observation.account();
        TreeSet<String> tags = new TreeSet<>();
        if (account.access().tags() != null) {
            tags.addAll(account.access().tags());
        }
        for (String tag : add.split(",")) {
            if (!tag.isBlank()) {
                tags.add(tag.strip());
            }
        }
        return new Observation(account.withAccess(account.access().withTags(tags)), observation.inputRef(),
                observation.erasure());
    }

    /** The line is the part of the input reference after {@code #L} ({@link DropInput#refAt}). */
    private static long line(String inputRef) {
        int at = inputRef == null ? -1 : inputRef.lastIndexOf("#L");
        if (at < 0) {
            return 0;
        }
        try {
            return Long.parseLong(inputRef.substring(at + 2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }
}
