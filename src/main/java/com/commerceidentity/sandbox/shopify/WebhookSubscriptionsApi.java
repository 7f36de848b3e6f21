package com.commerceidentity.sandbox.shopify;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * REST Admin {@code webhooks.json}: list (filters {@code address}, {@code topic}, {@code since_id},
 * {@code limit}), count, single GET, create (201, or 422 with Shopify's per-field errors) and DELETE (200
 * {@code {}}). Auth and the leaky bucket are applied by {@link ShopifySimulator} before these handlers, as for
 * every REST call.
 */
final class WebhookSubscriptionsApi {

    private static final String VERSION = "/admin/api/([0-9]{4}-[0-9]{2}|unstable)";

    private final ShopifySimulator simulator;
    private final WebhookSubscriptions subscriptions;

    WebhookSubscriptionsApi(ShopifySimulator simulator, WebhookSubscriptions subscriptions) {
        this.simulator = simulator;
        this.subscriptions = subscriptions;
    }

    void mount(Router router) {
        router.getWithRegex(VERSION + "/webhooks\\.json").handler(BadRequest.answered(simulator, this::list));
        router.getWithRegex(VERSION + "/webhooks/count\\.json").handler(BadRequest.answered(simulator, this::count));
        router.getWithRegex(VERSION + "/webhooks/([0-9]+)\\.json").handler(BadRequest.answered(simulator, this::single));
        router.postWithRegex(VERSION + "/webhooks\\.json").handler(BadRequest.answered(simulator, this::create));
        router.deleteWithRegex(VERSION + "/webhooks/([0-9]+)\\.json").handler(BadRequest.answered(simulator, this::delete));
    }


    private void list(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        int limit = CustomerRestApi.limit(params);
        long sinceId = sinceId(params);
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("webhooks");
        matching(params).stream().filter(s -> s.id() > sinceId).limit(limit)
                .forEach(s -> array.add(s.toJson(simulator.config.timezone)));
        simulator.json(ctx, 200, body);
    }

    private void count(RoutingContext ctx) {
        simulator.json(ctx, 200, Json.object().put("count", matching(ctx.queryParams()).size()));
    }

    private List<WebhookSubscription> matching(MultiMap params) {
        String address = params.get("address");
        String topic = params.get("topic");
        return subscriptions.all().stream()
                .filter(s -> address == null || s.address().equals(address))
                .filter(s -> topic == null || s.topic().equals(topic))
                .toList();
    }

    private void single(RoutingContext ctx) {
        find(ctx).ifPresentOrElse(
                s -> simulator.json(ctx, 200, Json.object().set("webhook", s.toJson(simulator.config.timezone))),
                () -> notFound(ctx));
    }

    private void create(RoutingContext ctx) {
        JsonNode webhook = webhookParam(ctx);
        String topic = text(webhook, "topic");
        String address = text(webhook, "address");
        String format = webhook.hasNonNull("format") ? webhook.get("format").asText() : "json";
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (topic == null) {
            errors.put("topic", List.of("can't be blank", invalidTopic("")));
        } else if (!WebhookSubscriptions.ALLOWED_TOPICS.contains(topic)) {
            errors.put("topic", List.of(invalidTopic(topic)));
        }
        if (address == null) {
            errors.put("address", List.of("can't be blank"));
        } else {
            String problem = addressProblem(address);
            if (problem != null) {
                errors.put("address", List.of(problem));
            } else if (topic != null && subscriptions.taken(topic, address)) {
                errors.put("address", List.of("for this topic has already been taken"));
            }
        }
        if (!format.equals("json")) {
            errors.put("format", List.of(format.equals("xml")
                    ? "xml is not delivered by the sandbox (its deliveries are JSON only)" : "is not included in the list"));
        }
        if (!errors.isEmpty()) {
            ObjectNode body = Json.object();
            body.set("errors", Json.MAPPER.valueToTree(errors));
            simulator.json(ctx, 422, body);
            return;
        }
        WebhookSubscription created = subscriptions.add(topic, address, format, ctx.pathParam("param0"));
        simulator.json(ctx, 201, Json.object().set("webhook", created.toJson(simulator.config.timezone)));
    }

    private void delete(RoutingContext ctx) {
        find(ctx).ifPresentOrElse(s -> {
            subscriptions.remove(s.id());
            simulator.json(ctx, 200, Json.object());
        }, () -> notFound(ctx));
    }

    private java.util.Optional<WebhookSubscription> find(RoutingContext ctx) {
        try {
            return subscriptions.get(Long.parseLong(ctx.pathParam("param1")));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private void notFound(RoutingContext ctx) {
        simulator.json(ctx, 404, Json.object().put("errors", "Not Found"));
    }

    private static String invalidTopic(String topic) {
        return "Invalid topic specified: " + topic + ". Does it exist? Is there a missing access scope? Topics allowed: "
                + String.join(", ", WebhookSubscriptions.ALLOWED_TOPICS);
    }

    /**
     * Shopify delivers HTTPS only. The sandbox delivers over plain HTTP on loopback, so there (and only there)
     * {@code http://} is accepted; that is the one place it is more lenient than Shopify.
     */
    private static String addressProblem(String address) {
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            return "is invalid";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return scheme.isEmpty() ? "is invalid" : "protocol " + scheme + ":// is not supported by the sandbox";
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return "protocol http:// is not supported";
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    private static JsonNode webhookParam(RoutingContext ctx) {
        JsonNode body;
        try {
            body = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            body = null;
        }
        if (body == null || !body.path("webhook").isObject()) {
            throw new BadRequest("webhook", "Required parameter missing or invalid");
        }
        return body.get("webhook");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static long sinceId(MultiMap params) {
        String raw = params.get("since_id");
        if (raw == null) {
            return 0;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("since_id", "Invalid value.");
        }
    }
}
