package com.commerceidentity.sandbox.woocommerce;

import com.commerceidentity.sandbox.Hmac;
import com.commerceidentity.sandbox.Json;
import com.commerceidentity.sandbox.WebhookDispatcher;
import com.fasterxml.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The site's webhooks and their deliveries (facts webhooks.*). An event queues one delivery per matching active
 * webhook and resource id unless that pair is already pending (Action Scheduler's de-duplication); the queue
 * runs {@code deliveryDelayMillis} later and renders each payload then, so quick successive changes collapse
 * into one delivery of the latest state and a user deleted in between yields the REST error body. No retries;
 * failures count towards auto-disable. {@code customer.deleted} fires only for users with the customer role.
 */
final class WooWebhooks {

    static final String USER_AGENT = "WooCommerce/" + WooCommerceSimulator.WC_VERSION
            + " Hookshot (WordPress/" + WooCommerceSimulator.WP_VERSION + ")";

    private record Pending(int webhookId, int resourceId) {
    }

    private final WooCommerceSimulator sim;
    private final TreeMap<Integer, Webhook> hooks = new TreeMap<>();
    private final LinkedHashMap<Pending, Pending> pending = new LinkedHashMap<>();
    private final HttpClient pingClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private int nextId = 1;
    private int attemptsSeen;

    WooWebhooks(WooCommerceSimulator sim) {
        this.sim = sim;
    }

    synchronized Webhook add(int userId, String name, String topic, String deliveryUrl, String secret) {
        Webhook hook = new Webhook(nextId++, userId, sim.store.now());
        hook.name = name;
        hook.topic = topic;
        hook.deliveryUrl = deliveryUrl;
        hook.secret = secret;
        hooks.put(hook.id, hook);
        return hook;
    }

    synchronized List<Webhook> all() {
        reconcile();
        return new ArrayList<>(hooks.values());
    }

    synchronized Optional<Webhook> get(int id) {
        reconcile();
        return Optional.ofNullable(hooks.get(id));
    }

    synchronized Optional<Webhook> remove(int id) {
        return Optional.ofNullable(hooks.remove(id));
    }

    /** A WordPress hook fired for {@code user}; {@code user} is the row as it was when the hook ran. */
    void event(String topic, WpUser user) {
        if ("customer.deleted".equals(topic) && !user.hasRole("customer")) {
            return;
        }
        enqueue(topic, user.id);
    }

    /** Queues {@code topic} for {@code resourceId} to every active webhook of that topic (no role check). */
    void enqueue(String topic, int resourceId) {
        boolean schedule;
        synchronized (this) {
            boolean wasEmpty = pending.isEmpty();
            for (Webhook hook : hooks.values()) {
                if ("active".equals(hook.status) && topic.equals(hook.topic)) {
                    Pending p = new Pending(hook.id, resourceId);
                    pending.putIfAbsent(p, p);
                }
            }
            schedule = wasEmpty && !pending.isEmpty();
        }
        if (schedule) {
            sim.later(sim.config.deliveryDelayMillis, this::flush);
        }
    }

    private void flush() {
        List<Pending> due;
        synchronized (this) {
            reconcile();
            due = new ArrayList<>(pending.keySet());
            pending.clear();
        }
        for (Pending p : due) {
            Webhook hook;
            synchronized (this) {
                hook = hooks.get(p.webhookId());
            }
            if (hook != null) {
                deliver(hook, p.resourceId());
            }
        }
    }

    private void deliver(Webhook hook, int resourceId) {
        byte[] body = PhpJson.webhookBody(payload(hook, resourceId));
        if (!safeUrl(hook.deliveryUrl)) {
            // wp_safe_remote_request() refuses before connecting; deliver() logs it as a failed delivery
            hook.recordDelivery(-1);
            return;
        }
        long now = sim.clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("X-WC-Webhook-Source", sim.site().home() + "/");
        headers.put("X-WC-Webhook-Topic", hook.topic);
        headers.put("X-WC-Webhook-Resource", hook.resource());
        headers.put("X-WC-Webhook-Event", hook.event());
        headers.put("X-WC-Webhook-Signature", signature(hook.secret, body));
        headers.put("X-WC-Webhook-ID", String.valueOf(hook.id));
        headers.put("X-WC-Webhook-Delivery-ID", deliveryId(hook.id, now));
        sim.webhooks().send(new WebhookDispatcher.Delivery(hook.deliveryUrl, headers, body));
    }

    /** build_payload(): {id} for deleted events, else GET /wc/v3/customers/{id} as the webhook's owner, now. */
    private JsonNode payload(Webhook hook, int resourceId) {
        if ("deleted".equals(hook.event())) {
            return Json.object().put("id", resourceId);
        }
        if (!sim.can(sim.store.get(hook.userId).isPresent() ? hook.userId : null, "list_users")) {
            return new RestError("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401).toJson();
        }
        return sim.store.get(resourceId).<JsonNode>map(u -> u.toRest(sim.site()))
                .orElseGet(() -> RestError.invalidUserId().toJson());
    }

    /** X-WC-Webhook-Signature: base64 HMAC-SHA256 of the exact body, keyed with the secret after wp_specialchars_decode(ENT_QUOTES). */
    static String signature(String secret, byte[] rawBody) {
        return Hmac.sha256Base64(specialcharsDecode(secret).getBytes(StandardCharsets.UTF_8), rawBody);
    }

    static String specialcharsDecode(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#039;", "'")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
    }

    /** wp_hash(id . time()): HMAC-MD5 with the site's auth salt; equal for two deliveries in the same second. */
    private String deliveryId(int webhookId, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(sim.config.authSalt.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return HexFormat.of().formatHex(mac.doFinal((webhookId + "" + unixSeconds).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Failure counting from the dispatcher's record of finished attempts (the dispatcher reports nothing back). */
    private void reconcile() {
        List<WebhookDispatcher.Attempt> attempts = sim.webhooks().attempts();
        for (int i = attemptsSeen; i < attempts.size(); i++) {
            String id = attempts.get(i).headers().get("X-WC-Webhook-ID");
            Webhook hook = id == null ? null : hooks.get(Integer.parseInt(id));
            if (hook != null) {
                hook.recordDelivery(attempts.get(i).status());
            }
        }
        attemptsSeen = attempts.size();
    }

    /**
     * deliver_ping(), called inside POST /webhooks before the 201: an unsigned form post {@code webhook_id=N}
     * (5 s WordPress default timeout). Its outcome is ignored, as the REST controller ignores it.
     */
    CompletableFuture<Void> ping(Webhook hook) {
        if (!safeUrl(hook.deliveryUrl)) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.deliveryUrl))
                .timeout(Duration.ofSeconds(5))
                .header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("webhook_id=" + hook.id)).build();
        return pingClient.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> null);
    }

    /**
     * wp_http_validate_url() as wp_safe_remote_request() applies it (knob safeRemoteRequests): a host other than
     * the site's must not be loopback/private, and the port must be 80, 443 or 8080 unless host and port are the
     * site's own.
     */
    boolean safeUrl(String url) {
        if (!sim.config.safeRemoteRequests) {
            return true;
        }
        URI target;
        URI home;
        try {
            target = URI.create(url);
            home = URI.create(sim.site().home());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = target.getHost();
        if (host == null || target.getUserInfo() != null || host.startsWith("[")) {
            return false;
        }
        boolean sameHost = host.equalsIgnoreCase(home.getHost());
        if (!sameHost) {
            try {
                byte[] ip = InetAddress.getByName(host).getAddress();
                int a = ip[0] & 0xff;
                int b = ip.length > 1 ? ip[1] & 0xff : 0;
                if (a == 127 || a == 10 || a == 0 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168) {
                    return false;
                }
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        int port = target.getPort();
        return port == -1 || port == 80 || port == 443 || port == 8080 || sameHost && port == home.getPort();
    }
}
