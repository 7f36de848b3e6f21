package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code /wp-json/wc/v3/webhooks} and {@code /webhooks/{id}} (WC_REST_Webhooks_V1/V2 controllers, v3 payloads).
 * Needs {@code manage_woocommerce}. Quirks kept: {@code status} is ignored on create (always active), a missing
 * secret becomes an unreadable random 50-character one, the secret is never returned, the creation ping runs
 * before the 201 is sent, GET/PUT of an unknown id answer 400 "ID is invalid." while DELETE answers 404.
 */
final class WebhooksApi {

    private static final String PASSWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|";
    private static final DateTimeFormatter NAME_DATE = DateTimeFormatter.ofPattern("MMM dd, yyyy @ hh:mm a", Locale.ENGLISH);

    private final WooCommerceSimulator sim;
    private final Random secrets = new SecureRandom();

    WebhooksApi(WooCommerceSimulator sim) {
        this.sim = sim;
    }

    void list(RoutingContext ctx) {
        PhpQuery query = PhpQuery.parse(ctx.request().query());
        WpParams p = new WpParams(query);
        p.oneOf("context", "view", List.of("view", "edit"));
        int page = p.integer("page", 1, 1, null);
        int perPage = p.integer("per_page", 10, 1, 100);
        String search = p.text("search");
        List<Integer> exclude = p.idList("exclude");
        List<Integer> include = p.idList("include");
        int offset = Math.abs(p.integer("offset", 0, null, null));
        boolean descending = "desc".equals(p.oneOf("order", "desc", List.of("asc", "desc")));
        String orderby = p.oneOf("orderby", "date", List.of("date", "id", "title"));
        String status = p.oneOf("status", "all", List.of("all", "active", "paused", "disabled"));
        p.check();
        requireManager(ctx, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
        Comparator<Webhook> order = switch (orderby) {
            case "id" -> Comparator.comparingInt(h -> h.id);
            case "title" -> Comparator.<Webhook, String>comparing(h -> h.name.toLowerCase(Locale.ROOT)).thenComparingInt(h -> h.id);
            default -> Comparator.<Webhook, java.time.Instant>comparing(h -> h.created).thenComparingInt(h -> h.id);
        };
        List<Webhook> matching = new ArrayList<>(sim.hooks.all().stream()
                .filter(h -> "all".equals(status) || status.equals(h.status))
                .filter(h -> include.isEmpty() || include.contains(h.id))
                .filter(h -> !exclude.contains(h.id))
                .filter(h -> search == null || search.isEmpty() || h.name.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .toList());
        matching.sort(descending ? order.reversed() : order);
        int from = offset != 0 ? offset : (page - 1) * perPage;
        ArrayNode body = Json.array();
        matching.stream().skip(from).limit(perPage).forEach(h -> body.add(h.toRest(sim.site())));
        WpPaging.headers(ctx, sim.site().api("/webhooks"), query, matching.size(), perPage,
                (int) Math.ceil(from / (double) perPage + 1));
        sim.send(ctx, 200, body);
    }

    void get(RoutingContext ctx) {
        requireManager(ctx, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
        sim.send(ctx, 200, find(ctx, "ID is invalid.", 400).toRest(sim.site()));
    }

    void create(RoutingContext ctx) {
        JsonNode body = sim.requestBody(ctx);
        List<String> missing = new ArrayList<>();
        for (String required : List.of("topic", "delivery_url")) {
            if (!body.has(required)) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw RestError.missingParams(missing);
        }
        requireManager(ctx, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.");
        String topic = body.path("topic").asText("").toLowerCase(Locale.ROOT);
        if (!Webhook.validTopic(topic)) {
            throw new RestError("woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid.", 400);
        }
        String url = body.path("delivery_url").asText("");
        if (!validUrl(url)) {
            throw new RestError("woocommerce_rest_shop_webhook_invalid_delivery_url",
                    "Webhook delivery URL must be a valid URL starting with http:// or https://.", 400);
        }
        String name = body.path("name").asText("");
        if (name.isEmpty()) {
            name = "Webhook created on " + NAME_DATE.format(sim.clock.instant().atOffset(ZoneOffset.UTC));
        }
        String secret = body.path("secret").asText("");
        Webhook hook = sim.hooks.add(WooCommerceSimulator.currentUser(ctx), name, topic, url,
                secret.isEmpty() ? randomSecret() : secret);
        String location = sim.site().api("/webhooks/" + hook.id);
        sim.hooks.ping(hook).whenComplete((ok, error) -> {
            ctx.response().putHeader("Location", location);
            sim.send(ctx, 201, hook.toRest(sim.site()));
        });
    }

    void update(RoutingContext ctx) {
        JsonNode body = sim.requestBody(ctx);
        // the schema's enum is checked as an argument, before the controller's own "must be valid" test
        PhpQuery args = new PhpQuery();
        if (body.path("status").isTextual()) {
            args.put("status", body.get("status").asText());
        }
        WpParams p = new WpParams(args);
        p.oneOf("status", "active", Webhook.STATUSES);
        p.check();
        requireManager(ctx, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.");
        Webhook hook = find(ctx, "ID is invalid.", 400);
        String topic = body.path("topic").asText("");
        if (!topic.isEmpty()) {
            if (!Webhook.validTopic(topic.toLowerCase(Locale.ROOT))) {
                throw new RestError("woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic must be valid.", 400);
            }
            hook.topic = topic.toLowerCase(Locale.ROOT);
        }
        String url = body.path("delivery_url").asText("");
        if (!url.isEmpty()) {
            if (!validUrl(url)) {
                throw new RestError("woocommerce_rest_shop_webhook_invalid_delivery_url",
                        "Webhook delivery URL must be a valid URL starting with http:// or https://.", 400);
            }
            hook.deliveryUrl = url;
        }
        if (!body.path("secret").asText("").isEmpty()) {
            hook.secret = body.get("secret").asText();
        }
        if (!body.path("status").asText("").isEmpty()) {
            hook.status = body.get("status").asText();
        }
        if (!body.path("name").asText("").isEmpty()) {
            hook.name = body.get("name").asText();
        }
        hook.modified = sim.store.now();
        sim.send(ctx, 200, hook.toRest(sim.site()));
    }

    void delete(RoutingContext ctx) {
        WpParams p = new WpParams(PhpQuery.parse(ctx.request().query()));
        boolean force = p.bool("force", false);
        p.check();
        requireManager(ctx, "woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.");
        if (!force) {
            throw new RestError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501);
        }
        Webhook hook = find(ctx, "Invalid ID.", 404);
        sim.hooks.remove(hook.id);
        sim.send(ctx, 200, hook.toRest(sim.site()));
    }

    private void requireManager(RoutingContext ctx, String code, String message) {
        Integer user = WooCommerceSimulator.currentUser(ctx);
        if (!sim.can(user, "manage_woocommerce")) {
            throw new RestError(code, message, RestError.authorizationRequired(user));
        }
    }

    private Webhook find(RoutingContext ctx, String message, int status) {
        try {
            return sim.hooks.get(Integer.parseInt(ctx.pathParam("id")))
                    .orElseThrow(() -> new RestError("woocommerce_rest_shop_webhook_invalid_id", message, status));
        } catch (NumberFormatException e) {
            throw new RestError("woocommerce_rest_shop_webhook_invalid_id", message, status);
        }
    }

    /** wc_is_valid_url(): an http or https URL with a host. */
    private static boolean validUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** wp_generate_password(50, true, true): letters, digits, special and extra-special characters. */
    private String randomSecret() {
        StringBuilder secret = new StringBuilder(50);
        for (int i = 0; i < 50; i++) {
            secret.append(PASSWORD_CHARS.charAt(secrets.nextInt(PASSWORD_CHARS.length())));
        }
        return secret.toString();
    }
}
