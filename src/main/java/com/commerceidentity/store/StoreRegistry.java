package com.commerceidentity.store;

import com.commerceidentity.model.Platform;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stores ops configured under {@code stores.<id>.*}. A store exists once it has a {@code platform}; every
 * key can be overridden with {@code -D} or an environment variable, and the secret keys are looked up
 * individually so they can live in the environment alone ({@code stores.eu-shop.token} →
 * {@code STORES_EU_SHOP_TOKEN}).
 */
public class StoreRegistry {
    private static final Pattern PLATFORM_KEY = Pattern.compile("stores\\.([A-Za-z0-9_-]+)\\.platform");
    private static final Set<String> OWN_KEYS = Set.of("platform", "base-url", "token", "username", "password",
            "api-key", "webhook-secret", "sandbox");
    /**
     * Secret settings some platforms sign with (a REST consumer key and secret, OAuth 1.0a integration credentials): looked up
     * one by one like the secrets above, so {@code STORES_<ID>_CONSUMER_SECRET} alone in the environment is enough.
     */
    static final Set<String> SECRET_SETTINGS = Set.of("consumer-key", "consumer-secret", "access-token",
            "access-token-secret", "scim-token", "client-secret");

    /** Every key with a meaning for any store: its address, platform and credentials. */
    public static Set<String> keysOfEveryStore() {
        Set<String> out = new TreeSet<>(OWN_KEYS);
        out.addAll(SECRET_SETTINGS);
        return out;
    }

    private final Map<String, StoreConfig> stores = new ConcurrentHashMap<>();

    public StoreRegistry(Collection<StoreConfig> configs) {
        configs.forEach(c -> stores.put(c.id(), c));
    }

    /**
     * @param listed  the configuration's keys and values (file, -D and environment merged)
     * @param resolve looks a single key up (also finds keys that exist only in the environment)
     */
    public static StoreRegistry load(Properties listed, Function<String, Optional<String>> resolve) {
        return load(listed, Map.of(), resolve);
    }

    /**
     * @param listed   the configuration's keys and values (file, -D and environment merged)
     * @param defaults {@code app.store-defaults.*} by store key ({@link StoreDefaults}): every store's settings start
     *                 from them
     * @param resolve  looks a single key up (also finds keys that exist only in the environment)
     */
    public static StoreRegistry load(Properties listed, Map<String, String> defaults,
                                     Function<String, Optional<String>> resolve) {
        Set<String> ids = new TreeSet<>();
        for (String key : listed.stringPropertyNames()) {
            Matcher m = PLATFORM_KEY.matcher(key);
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        List<StoreConfig> configs = new ArrayList<>();
        for (String id : ids) {
            configs.add(read(id, listed, defaults, resolve));
        }
        return new StoreRegistry(configs);
    }

    private static StoreConfig read(String id, Properties listed, Map<String, String> defaults,
                                    Function<String, Optional<String>> resolve) {
        String prefix = "stores." + id + ".";
        Function<String, String> value = key -> resolve.apply(prefix + key).map(String::trim)
                .filter(s -> !s.isEmpty()).orElse(null);
        Platform platform;
        try {
            platform = Platform.of(value.apply("platform"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "platform: " + e.getMessage(), e);
        }
        String baseUrl = value.apply("base-url");
        if (baseUrl == null) {
            throw new IllegalArgumentException(prefix + "base-url is required (the store's API address)");
        }
        try {
            URI uri = URI.create(baseUrl);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "base-url '" + baseUrl + "' is not an http(s) URL", e);
        }
        Map<String, String> settings = new LinkedHashMap<>(defaults);
        for (String key : new TreeSet<>(listed.stringPropertyNames())) {
            if (key.startsWith(prefix)) {
                String own = key.substring(prefix.length());
                if (!OWN_KEYS.contains(own)) {
                    settings.put(own, resolve.apply(key).orElse(listed.getProperty(key)).trim());
                }
            }
        }
        for (String secret : SECRET_SETTINGS) {
            String v = value.apply(secret);
            if (v != null) {
                settings.put(secret, v);
            }
        }
        return new StoreConfig(id, platform, stripSlash(baseUrl), value.apply("token"), value.apply("username"),
                value.apply("password"), value.apply("api-key"), value.apply("webhook-secret"),
                Boolean.parseBoolean(value.apply("sandbox")), settings);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public List<StoreConfig> all() {
        return stores.values().stream().sorted(java.util.Comparator.comparing(StoreConfig::id)).toList();
    }

    public Optional<StoreConfig> get(String id) {
        return Optional.ofNullable(stores.get(id));
    }

    /** Replaces a store's effective configuration (the sandbox fills in its address and credentials). */
    public void update(StoreConfig config) {
        stores.put(config.id(), config);
    }

    /** {@code GET /stores}: every store as ops may see it, secrets shown only as set or missing. */
    public List<Map<String, Object>> describeAll() {
        return all().stream().map(StoreConfig::describe).toList();
    }
}
