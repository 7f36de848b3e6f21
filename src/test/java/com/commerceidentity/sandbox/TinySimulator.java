package com.commerceidentity.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Smallest possible platform, to exercise the framework without any platform rules in the way. */
final class TinySimulator extends Simulator {

    final List<ObjectNode> items = new CopyOnWriteArrayList<>();
    final List<String> triggered = new CopyOnWriteArrayList<>();

    TinySimulator() {
        super("tiny", 0);
        for (int i = 1; i <= 5; i++) {
            items.add(Json.object().put("id", i).put("v", i));
        }
    }

    @Override
    protected void mountRoutes(Router router) {
        router.get("/items").handler(ctx -> {
            List<ObjectNode> page = new ArrayList<>(items);
            if (takeListFault(ctx, FaultType.EMPTY_PAGE)) {
                page.clear();
            }
            ObjectNode body = Json.object();
            body.putArray("items").addAll(page);
            respondJson(ctx, 200, body);
        });
    }

    @Override
    public RecordControl records() {
        return new RecordControl() {
            @Override
            public List<JsonNode> list(String kind) {
                return List.copyOf(items);
            }

            @Override
            public Optional<JsonNode> get(String kind, String id) {
                return items.stream().filter(i -> i.get("id").asText().equals(id)).map(JsonNode.class::cast).findFirst();
            }

            @Override
            public JsonNode create(String kind, JsonNode fields) {
                ObjectNode item = ((ObjectNode) fields.deepCopy()).put("id", items.size() + 1);
                items.add(item);
                return item;
            }

            @Override
            public Optional<JsonNode> update(String kind, String id, JsonNode fields) {
                return get(kind, id).map(i -> ((ObjectNode) i).setAll((ObjectNode) fields));
            }

            @Override
            public boolean delete(String kind, String id) {
                return items.removeIf(i -> i.get("id").asText().equals(id));
            }

            @Override
            public Optional<JsonNode> touch(String kind, String id) {
                return get(kind, id);
            }

            @Override
            public void triggerWebhook(String topic, String id) {
                triggered.add(topic + ":" + id);
            }
        };
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("token", "tiny-token");
    }
}
