package com.commerceidentity.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A feed consumer as users write one: polls {@code GET /feed?after=<cursor>} and keeps every event it was
 * served, across kills and restarts of the app (it just keeps polling the port). Whatever it holds is what
 * the app promised: a later read of the same seq must return the same event.
 */
final class FeedTail implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final int port;
    private final Map<Long, JsonNode> served = new ConcurrentSkipListMap<>();
    /** Seqs the app served twice with different contents: each is a broken promise. */
    final List<String> conflicts = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cursor;

    FeedTail(int port) {
        this.port = port;
        this.thread = new Thread(this::poll, "feed-tail");
        thread.setDaemon(true);
        thread.start();
    }

    int servedCount() {
        return served.size();
    }

    Map<Long, JsonNode> served() {
        return served;
    }

    private void poll() {
        while (running) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/feed?limit=1000&after=" + cursor))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode page = JSON.readTree(r.body());
                    for (JsonNode e : page.get("events")) {
                        JsonNode before = served.putIfAbsent(e.get("seq").asLong(), e);
                        if (before != null && !before.equals(e)) {
                            conflicts.add("seq " + e.get("seq") + " was " + before + " and is now " + e);
                        }
                    }
                    cursor = page.get("next").asLong();
                    if (page.get("hasMore").asBoolean()) {
                        continue;
                    }
                }
                Thread.sleep(50);
            } catch (IOException appDownOrRestarting) {
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every event the app holds now, read from the start in pages. */
    static List<JsonNode> readAll(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/feed?limit=1000&after=" + after)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            page.get("events").forEach(all::add);
            if (!page.get("hasMore").asBoolean()) {
                return all;
            }
            after = page.get("next").asLong();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
