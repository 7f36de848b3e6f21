package com.commerceidentity.store;

import com.commerceidentity.model.Platform;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.Simulator;
import com.commerceidentity.sandbox.SimulatorRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the stores marked {@code stores.<id>.sandbox=true} from in-process simulators on loopback, so a
 * fresh clone syncs something real without credentials. A sandbox store is an ordinary store: its
 * {@code base-url} names the port (0 picks a free one), and credentials it lacks are generated at start-up
 * and never written anywhere.
 */
public final class SandboxStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxStores.class);
    private static final Pattern BIGCOMMERCE_PATH = Pattern.compile("/stores/([A-Za-z0-9]+)/?");

    private final List<Simulator> running;
    private final java.util.Map<String, Simulator> byStore;

    private SandboxStores(List<Simulator> running, java.util.Map<String, Simulator> byStore) {
        this.running = running;
        this.byStore = byStore;
    }

    public List<Simulator> simulators() {
        return List.copyOf(running);
    }

    /**
     * Overrides that serve the four shipped sandbox stores on free ports instead of 18101-18104, for embedded
     * copies of the app (tests, benchmarks) that must not collide with a running one.
     */
    public static java.util.Map<String, String> onFreePorts() {
        return java.util.Map.of(
                "stores.shopify-sandbox.base-url", "http://127.0.0.1:0",
                "stores.bigcommerce-sandbox.base-url", "http://127.0.0.1:0/stores/abc123",
                "stores.magento-sandbox.base-url", "http://127.0.0.1:0/rest/default",
                "stores.medusa-sandbox.base-url", "http://127.0.0.1:0");
    }

    /** The simulator serving store {@code id} (for tests and benchmarks that arm faults or read counters). */
    public Simulator simulator(String storeId) {
        Simulator s = byStore.get(storeId);
        if (s == null) {
            throw new IllegalArgumentException("store '" + storeId + "' is not a running sandbox store");
        }
        return s;
    }

    public static SandboxStores start(StoreRegistry registry, SandboxSettings base) {
        List<Simulator> running = new ArrayList<>();
        java.util.Map<String, Simulator> byStore = new java.util.LinkedHashMap<>();
        try {
            for (StoreConfig store : registry.all()) {
                if (store.sandbox()) {
                    Simulator simulator = startOne(registry, store, base);
                    running.add(simulator);
                    byStore.put(store.id(), simulator);
                }
            }
        } catch (RuntimeException e) {
            running.forEach(Simulator::close);
            throw e;
        }
        return new SandboxStores(running, byStore);
    }

    private static Simulator startOne(StoreRegistry registry, StoreConfig store, SandboxSettings base) {
        URI url = URI.create(store.baseUrl());
        if (!"127.0.0.1".equals(url.getHost()) && !"localhost".equals(url.getHost())) {
            throw new IllegalArgumentException("stores." + store.id() + ": a sandbox store must have a loopback base-url"
                    + " (http://127.0.0.1:<port>...) but has " + store.baseUrl());
        }
        String platform = store.platform().id();
        int port = url.getPort() < 0 ? 0 : url.getPort();
        Simulator simulator = SimulatorRegistry.create(simulatorClass(store.platform()),
                base.with(platform + ".port", Integer.toString(port)));
        StoreConfig effective = withCredentials(store);
        ObjectNode knobs = JsonNodeFactory.instance.objectNode();
        switch (store.platform()) {
            case SHOPIFY -> {
                knobs.put("accessToken", effective.token());
                knobs.put("appSecret", effective.webhookSecret());
                knobs.put("scimToken", effective.settings().getOrDefault("scim-token", effective.token()));
            }
            case BIGCOMMERCE -> {
                knobs.put("accessToken", effective.token());
                Matcher m = BIGCOMMERCE_PATH.matcher(url.getPath());
                if (m.matches()) {
                    knobs.put("storeHash", m.group(1));
                }
            }
            case MAGENTO -> {
                knobs.put("adminUsername", effective.username());
                knobs.put("adminPassword", effective.password());
            }
            case MEDUSA -> {
                knobs.put("adminEmail", effective.username());
                knobs.put("adminPassword", effective.password());
                knobs.put("apiKey", effective.apiKey());
                knobs.put("webhookSecret", effective.webhookSecret());
            }
        }
        simulator.configure(knobs);
        simulator.start();
        String address = "http://127.0.0.1:" + simulator.port() + url.getRawPath();
        registry.update(effective.withBaseUrl(address.endsWith("/") ? address.substring(0, address.length() - 1) : address));
        LOG.info("sandbox store '{}' ({}) serving at {}", store.id(), platform, address);
        return simulator;
    }

    private static Class<? extends Simulator> simulatorClass(Platform platform) {
        for (Class<? extends Simulator> type : SimulatorRegistry.available()) {
            if (type.getSimpleName().toLowerCase(java.util.Locale.ROOT).startsWith(platform.id())) {
                return type;
            }
        }
        throw new IllegalStateException("no simulator for platform " + platform.id() + " in this build");
    }

    /** Fills in the credentials a sandbox store was not given, so nothing secret sits in the config file. */
    private static StoreConfig withCredentials(StoreConfig s) {
        return s.withCredentials(
                s.token() != null || !usesToken(s.platform()) ? s.token() : secret("tok_"),
                s.username() != null ? s.username() : s.platform() == Platform.MEDUSA ? "admin@sandbox.test" : "admin",
                s.password() != null ? s.password() : secret("pw_"),
                s.apiKey() != null || s.platform() != Platform.MEDUSA ? s.apiKey() : secret("sk_"),
                s.webhookSecret() != null ? s.webhookSecret() : secret("whs_"));
    }

    /** Magento sandboxes log in with username and password; only Shopify and BigCommerce take a fixed token. */
    private static boolean usesToken(Platform platform) {
        return platform == Platform.SHOPIFY || platform == Platform.BIGCOMMERCE;
    }

    private static String secret(String prefix) {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        running.forEach(Simulator::close);
    }
}
