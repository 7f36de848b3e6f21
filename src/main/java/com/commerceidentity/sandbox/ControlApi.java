package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.NoSuchElementException;

/**
 * HTTP control API of a {@link Simulator}, under {@value Simulator#CONTROL_PATH}; no platform auth.
 * <pre>
 * GET    /_sandbox                       platform, URLs, credentials, knobs
 * GET    /_sandbox/counters              requests served, 429s, resets, per endpoint and status
 * POST   /_sandbox/counters/reset
 * GET    /_sandbox/config                platform knobs
 * POST   /_sandbox/config                {"knob": value, ...} (PATCH semantics)
 * GET    /_sandbox/faults                armed faults
 * POST   /_sandbox/faults                {"type":"SERVER_ERROR","path":"/admin/*","method":"GET","count":3,"status":503,"delayMillis":0,"after":0}
 * DELETE /_sandbox/faults                disarm all
 * GET    /_sandbox/records?kind=customer list (kind: customer | staff)
 * GET    /_sandbox/records/{id}?kind=
 * POST   /_sandbox/records?kind=         platform-shaped fields -> 201 record
 * PUT|PATCH /_sandbox/records/{id}?kind= merge fields -> 200 record | 404
 * DELETE /_sandbox/records/{id}?kind=    204 | 404
 * POST   /_sandbox/records/{id}/touch?kind=  bump modification time -> 200 record | 404
 * GET    /_sandbox/webhooks              knobs and delivery attempts
 * POST   /_sandbox/webhooks/knobs        {"duplicateNext":1,"outOfOrderNext":1,"holdMillis":1000}
 * POST   /_sandbox/webhooks/trigger      {"topic":"customers/update","id":"123"} -> 202
 * </pre>
 * Errors: 400 {"error": "..."} for bad input, 404 {"error": "..."} for unknown records.
 */
final class ControlApi {

    private final Simulator simulator;

    ControlApi(Simulator simulator) {
        this.simulator = simulator;
    }

    void mount(Router router) {
        String base = Simulator.CONTROL_PATH;
        get(router, base, ctx -> info());
        get(router, base + "/counters", ctx -> simulator.counters().toJson());
        post(router, base + "/counters/reset", ctx -> {
            simulator.counters().reset();
            return simulator.counters().toJson();
        });
        get(router, base + "/config", ctx -> simulator.config());
        post(router, base + "/config", ctx -> {
            simulator.configure(body(ctx));
            return simulator.config();
        });
        get(router, base + "/faults", ctx -> simulator.faults().toJson());
        post(router, base + "/faults", ctx -> simulator.faults().add(body(ctx)).toJson());
        router.delete(base + "/faults").handler(guard(ctx -> {
            simulator.faults().clear();
            ctx.response().setStatusCode(204).end();
        }));
        get(router, base + "/records", ctx -> {
            ArrayNode array = Json.array();
            simulator.records().list(kind(ctx)).forEach(array::add);
            return array;
        });
        get(router, base + "/records/:id", ctx -> simulator.records().get(kind(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> new NoSuchElementException("no record " + ctx.pathParam("id"))));
        router.post(base + "/records").handler(guard(ctx ->
                send(ctx, 201, simulator.records().create(kind(ctx), body(ctx)))));
        Handler<RoutingContext> update = guard(ctx -> send(ctx, 200, simulator.records()
                .update(kind(ctx), ctx.pathParam("id"), body(ctx))
                .orElseThrow(() -> new NoSuchElementException("no record " + ctx.pathParam("id")))));
        router.route(HttpMethod.PUT, base + "/records/:id").handler(update);
        router.route(HttpMethod.PATCH, base + "/records/:id").handler(update);
        router.delete(base + "/records/:id").handler(guard(ctx -> {
            if (!simulator.records().delete(kind(ctx), ctx.pathParam("id"))) {
                throw new NoSuchElementException("no record " + ctx.pathParam("id"));
            }
            ctx.response().setStatusCode(204).end();
        }));
        post(router, base + "/records/:id/touch", ctx -> simulator.records().touch(kind(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> new NoSuchElementException("no record " + ctx.pathParam("id"))));
        get(router, base + "/webhooks", ctx -> simulator.webhooks().toJson());
        post(router, base + "/webhooks/knobs", ctx -> {
            JsonNode knobs = body(ctx);
            if (knobs.has("duplicateNext")) {
                simulator.webhooks().duplicateNext(knobs.get("duplicateNext").asInt());
            }
            if (knobs.has("outOfOrderNext")) {
                simulator.webhooks().outOfOrderNext(knobs.get("outOfOrderNext").asInt());
            }
            if (knobs.has("holdMillis")) {
                simulator.webhooks().holdMillis(knobs.get("holdMillis").asLong());
            }
            return simulator.webhooks().toJson();
        });
        router.post(base + "/webhooks/trigger").handler(guard(ctx -> {
            JsonNode request = body(ctx);
            String topic = Json.text(request, "topic");
            String id = Json.text(request, "id");
            if (topic == null || id == null) {
                throw new IllegalArgumentException("topic and id are required");
            }
            simulator.records().triggerWebhook(topic, id);
            send(ctx, 202, Json.object().put("topic", topic).put("id", id));
        }));
    }

    private ObjectNode info() {
        ObjectNode node = Json.object();
        node.put("platform", simulator.platform());
        node.put("baseUrl", simulator.baseUrl());
        node.put("controlUrl", simulator.controlUrl());
        node.set("credentials", Json.MAPPER.valueToTree(simulator.describe()));
        node.set("config", simulator.config());
        return node;
    }

    private interface JsonAction {
        Object apply(RoutingContext ctx);
    }

    private interface Action {
        void run(RoutingContext ctx);
    }

    private void get(Router router, String path, JsonAction action) {
        router.get(path).handler(guard(ctx -> send(ctx, 200, action.apply(ctx))));
    }

    private void post(Router router, String path, JsonAction action) {
        router.post(path).handler(guard(ctx -> send(ctx, 200, action.apply(ctx))));
    }

    private static Handler<RoutingContext> guard(Action action) {
        return ctx -> {
            try {
                action.run(ctx);
            } catch (NoSuchElementException e) {
                send(ctx, 404, Json.object().put("error", e.getMessage()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                send(ctx, 400, Json.object().put("error", String.valueOf(e.getMessage())));
            }
        };
    }

    private static void send(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    private static String kind(RoutingContext ctx) {
        String kind = ctx.request().getParam("kind");
        return kind == null || kind.isBlank() ? RecordControl.CUSTOMER : kind;
    }

    private static JsonNode body(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            return Json.object();
        }
        return Json.parse(buffer.getBytes());
    }
}
