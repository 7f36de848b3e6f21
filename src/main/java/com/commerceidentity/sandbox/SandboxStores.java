package com.commerceidentity.sandbox;

import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.store.StoreSandbox;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the stores marked {@code stores.<id>.sandbox=true} from in-process simulators on loopback, so a
 * fresh clone syncs something real without credentials. A sandbox store is an ordinary store: its
 * {@code base-url} names the port (0 picks a free one), and credentials it lacks are derived from
 * {@code sandbox.seed} and the store id at start-up (the same at every start) and never written anywhere.
 */
public final class SandboxStores implements StoreSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxStores.class);

    /** How the app finds the sandbox (see META-INF/services). */
    public static final class Provider implements StoreSandbox.Provider {
        @Override
        public StoreSandbox start(StoreRegistry registry, java.util.Properties settings) {
            return SandboxStores.start(registry, SandboxSettings.fromProperties(settings));
        }
    }

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
                "stores.magento-sandbox.base-url", "http://127.0.0.1:0/rest/all",
                "stores.medusa-sandbox.base-url", "http://127.0.0.1:0",
                "stores.woocommerce-sandbox.base-url", "http://127.0.0.1:0");
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
        Simulator simulator = SimulatorRegistry.create(simulatorClass(platform),
                base.with(platform + ".port", Integer.toString(port)));
        java.util.Map<String, String> settings = new java.util.HashMap<>(simulator.storeSettings());
        settings.putAll(store.settings());
        StoreConfig effective = withCredentials(store, simulator, base.seed()).withSettings(settings);
        simulator.serveStore(new Simulator.StoreCredentials(effective.token(), effective.username(),
                effective.password(), effective.apiKey(), effective.webhookSecret(),
                effective.settings().getOrDefault("scim-token", effective.token())), url.getPath());
        simulator.start();
        String address = "http://127.0.0.1:" + simulator.port() + url.getRawPath();
        registry.update(effective.withBaseUrl(address.endsWith("/") ? address.substring(0, address.length() - 1) : address));
        LOG.info("sandbox store '{}' ({}) serving at {}", store.id(), platform, address);
        return simulator;
    }

    private static Class<? extends Simulator> simulatorClass(String platform) {
        for (Class<? extends Simulator> type : SimulatorRegistry.available()) {
            if (type.getSimpleName().toLowerCase(java.util.Locale.ROOT).startsWith(platform)) {
                return type;
            }
        }
        throw new IllegalStateException("no simulator for platform " + platform + " in this build");
    }

    /**
     * Fills in the credentials the simulator's stores use and the store was not given: nothing secret in config.
     * They follow from {@code sandbox.seed} and the store id, so credentials copied from a sandbox store (for a second
     * store, a curl session) still work after a restart; the sandbox serves loopback only.
     */
    private static StoreConfig withCredentials(StoreConfig s, Simulator simulator, long seed) {
        java.util.Set<String> used = simulator.storeCredentials();
        return s.withCredentials(
                s.token() != null || !used.contains("token") ? s.token() : secret(seed, s.id(), "tok_"),
                s.username() != null || !used.contains("username") ? s.username() : simulator.sandboxUsername(),
                s.password() != null || !used.contains("password") ? s.password() : secret(seed, s.id(), "pw_"),
                s.apiKey() != null || !used.contains("api-key") ? s.apiKey() : secret(seed, s.id(), "sk_"),
                s.webhookSecret() != null ? s.webhookSecret() : secret(seed, s.id(), "whs_"));
    }

    static String secret(long seed, String storeId, String prefix) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((seed + "/" + storeId + "/" + prefix).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        running.forEach(Simulator::close);
    }
}
