package com.commerceidentity.webhook;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.model.Platform;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /stores/{id}/webhooks}: subscribes a store's customer events to this app at
 * {@code app.webhooks.public-url} + {@code /webhooks/<platform>/<id>}, through the platform's
 * {@link SubscriptionApi} (one subscription per topic, or one hook for a
 * wildcard of them). Idempotent: whatever is already subscribed for that address is left as it is,
 * only missing topics are added. The answer names what was added and what was there; it never shows a secret.
 */
public class WebhookRegistration {
    static final String PLAN = "webhookRegistrationPlan";
    static final String TOPIC = "webhookRegistrationTopic";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistration.class);

    /** One registration in progress: carried in an exchange property so that every split copy adds to it. */
    static final class Plan {
        final StoreConfig store;
        final SubscriptionApi api;
        final String destination;
        final List<String> present = new ArrayList<>();
        final List<String> added = new ArrayList<>();
        final Map<String, Object> refused = new LinkedHashMap<>();

        Plan(StoreConfig store, SubscriptionApi api, String destination) {
            this.store = store;
            this.api = api;
            this.destination = destination;
        }
    }

    private final StoreRegistry stores;
    private final ObjectMapper json;
    private final String publicUrl;
    private final Map<Platform, SubscriptionApi> platforms;

    public WebhookRegistration(StoreRegistry stores, ObjectMapper json, String publicUrl,
                               Map<Platform, SubscriptionApi> platforms) {
        this.stores = stores;
        this.json = json;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.platforms = Map.copyOf(platforms);
    }

    /** The look-up: what the store already sends to our address. */
    public void lookup(@Header("id") String id, Exchange exchange) {
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        SubscriptionApi api = platforms.get(store.platform());
        if (api == null) {
            throw new HttpProblem(400, "registration is built for " + platforms.keySet().stream().map(Platform::id)
                    .sorted().collect(Collectors.joining(" and ")) + " stores; register " + store.platform().id()
                    + " webhooks in the platform's admin (see docs/webhooks.md)");
        }
        if (publicUrl.isEmpty()) {
            throw new HttpProblem(400, "set app.webhooks.public-url to the address the store can reach this app at");
        }
        if (store.webhookSecret() == null) {
            // Deliveries we could not verify would all be refused with 401: better not to ask for them.
            throw new HttpProblem(400, "store '" + id + "' has no webhook secret (stores." + id + ".webhook-secret)");
        }
        Plan plan = new Plan(store, api, publicUrl + "/webhooks/" + store.platform().id() + "/" + store.id());
        exchange.setProperty(PLAN, plan);
        api.lookup(store, plan.destination).applyTo(exchange.getMessage(), store);
    }

    /** From the look-up answer: the topics still to subscribe, in the order the platform's API lists them. */
    public List<String> missing(Exchange exchange) throws Exception {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code != 200) {
            throw new HttpProblem(502, "store '" + plan.store.id() + "' answered HTTP " + code
                    + " when asked which webhooks it already sends");
        }
        Set<String> subscribed = plan.api.subscribed(json.readTree(m.getBody(String.class)));
        List<String> missing = new ArrayList<>();
        for (String topic : plan.api.topics()) {
            (subscribed.contains(topic) ? plan.present : missing).add(topic);
        }
        return missing;
    }

    /** One subscription to add; the body is the topic. */
    public void createRequest(Exchange exchange) {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        String topic = exchange.getMessage().getBody(String.class);
        exchange.setProperty(TOPIC, topic);
        plan.api.create(plan.store, plan.destination, topic).applyTo(exchange.getMessage(), plan.store);
    }

    public void created(Exchange exchange) {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        String topic = exchange.getProperty(TOPIC, String.class);
        Message m = exchange.getMessage();
        int code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code == 200 || code == 201) {
            plan.added.add(topic);
            return;
        }
        JsonNode reason = null;
        try {
            reason = plan.api.refusal(json.readTree(m.getBody(String.class)));
        } catch (Exception e) {
            // not JSON: the status alone has to do
        }
        ObjectNode refusal = json.createObjectNode().put("status", code);
        if (reason != null) {
            refusal.set("errors", reason);
        }
        plan.refused.put(topic, refusal);
    }

    /** The answer for ops: what is subscribed now, what was added by this call, what still needs doing. */
    public String answer(Exchange exchange) {
        Plan plan = exchange.getProperty(PLAN, Plan.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store", plan.store.id());
        body.put("platform", plan.store.platform().id());
        body.put("destination", plan.destination);
        body.put("registered", plan.added);
        body.put("alreadyRegistered", plan.present);
        if (!plan.refused.isEmpty()) {
            body.put("refused", plan.refused);
            LOG.warn("store '{}' refused webhook subscriptions {}", plan.store.id(), plan.refused.keySet());
            throw new HttpProblem(502, "store '" + plan.store.id() + "' refused subscriptions for "
                    + String.join(", ", plan.refused.keySet()), body);
        }
        body.put("status", plan.added.isEmpty() ? "already registered" : "registered");
        String note = plan.api.note(plan.destination);
        if (note != null) {
            body.put("note", note);
        }
        if (!plan.added.isEmpty()) {
            LOG.info("store '{}' now sends {} to {}", plan.store.id(), plan.added, plan.destination);
        }
        return json.valueToTree(body).toString();
    }
}
