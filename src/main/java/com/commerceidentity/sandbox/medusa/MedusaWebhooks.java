package com.commerceidentity.sandbox.medusa;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The identity events ({@code customer.*}, {@code user.*}) delivered to the {@code webhookUrl} knob over the HTTP
 * contract in {@code docs/sandbox.md}: Medusa itself has no outbound webhooks, its events are in-process messages.
 */
final class MedusaWebhooks {

    private final MedusaSimulator sim;
    /** Event timestamps: tests drive it. */
    private final Clock clock;
    private final AtomicLong eventSequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    MedusaWebhooks(MedusaSimulator sim, Clock clock) {
        this.sim = sim;
        this.clock = clock;
    }

    /**
     * Delivers one event over the sandbox's HTTP contract: the body carries the event name and Medusa's own payload
     * (an array of {@code {id}}), signed with {@code x-medusa-signature: sha256=<hex HMAC-SHA256(secret, body)>}.
     */
    void emit(String event, String id) {
        String url = sim.config.webhookUrl;
        if (url == null) {
            return;
        }
        ObjectNode body = Json.object().put("event", event);
        body.putArray("data").addObject().put("id", id);
        body.put("occurred_at", MedusaShapes.iso(clock.instant()));
        byte[] bytes = Json.bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(MedusaSimulator.EVENT_ID_HEADER, "evt_" + String.format("%012d", eventSequence.incrementAndGet()) + "_"
                + MedusaIds.hex(random, 4));
        headers.put(MedusaSimulator.SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(
                Hmac.sha256(sim.config.webhookSecret.getBytes(StandardCharsets.UTF_8), bytes)));
        sim.webhooks().send(new WebhookDispatcher.Delivery(url, headers, bytes));
    }
}
