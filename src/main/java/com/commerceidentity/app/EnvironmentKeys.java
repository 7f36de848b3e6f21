package com.commerceidentity.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns environment variables into setting keys. An environment name has lost the difference between {@code .},
 * {@code -} and case ({@code app.data-dir} → {@code APP_DATA_DIR}), so a variable is matched against the keys
 * the properties files name, and store ids and keys are matched the same way:
 * <ul>
 *   <li>a variable whose name is a key of the files in upper case with {@code _} for every other character sets
 *       that key ({@code CAMEL_SERVER_PORT}, {@code SANDBOX_CUSTOMERS}, {@code STORES_SHOPIFY_SANDBOX_BASE_URL});</li>
 *   <li>{@code STORES_<ID>_PLATFORM} defines a store; an id found only in the environment is {@code <ID>} in lower
 *       case with {@code -} for {@code _} ({@code STORES_BC_THIRD_PLATFORM} → {@code stores.bc-third.platform});</li>
 *   <li>{@code STORES_<ID>_<KEY>} sets a key of that store when {@code <KEY>} names a key stores have
 *       ({@code TOKEN}, {@code BASE_URL}, {@code SYNC_CUSTOMERS_PAGE_SIZE}, ...); any other {@code STORES_} variable
 *       stops start-up with a message naming it, rather than being ignored;</li>
 *   <li>any other {@code CAMEL_}, {@code APP_} or {@code SANDBOX_} variable is listed as lower case with {@code .}
 *       for {@code _} (Camel's own rule); a key asked for by name ({@code app.drop.token}) is found either way.</li>
 * </ul>
 */
final class EnvironmentKeys {
    static final List<String> FAMILIES = List.of("CAMEL_", "APP_", "SANDBOX_", "STORES_");
    private static final Pattern STORE_PLATFORM = Pattern.compile("stores\\.([A-Za-z0-9_-]+)\\.platform");

    private EnvironmentKeys() {
    }

    /** The environment name Camel and this app give {@code key}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * @param fileKeys  every key of the properties files
     * @param storeKeys the keys a store may have after {@code stores.<id>.}
     * @throws IllegalArgumentException naming the variable when a {@code STORES_} variable names no store or key,
     *                                  or could mean two keys
     */
    static Properties keys(Map<String, String> env, Collection<String> fileKeys, Collection<String> storeKeys) {
        Map<String, String> byEnvName = unambiguous(fileKeys, "key");
        Map<String, String> storeIds = new TreeMap<>();
        for (String key : fileKeys) {
            var m = STORE_PLATFORM.matcher(key);
            if (m.matches()) {
                String id = m.group(1);
                String previous = storeIds.put(envName(id), id);
                if (previous != null && !previous.equals(id)) {
                    storeIds.put(envName(id), null);
                }
            }
        }
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith("STORES_") && name.endsWith("_PLATFORM") && !byEnvName.containsKey(name)) {
                String envId = name.substring("STORES_".length(), name.length() - "_PLATFORM".length());
                storeIds.putIfAbsent(envId, envId.toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        Map<String, String> storeKeyNames = unambiguous(storeKeys, "store key");
        Properties out = new Properties();
        List<String> refused = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (FAMILIES.stream().noneMatch(name::startsWith)) {
                continue;
            }
            String value = env.get(name);
            if (byEnvName.containsKey(name)) {
                String key = byEnvName.get(name);
                if (key == null) {
                    refused.add(name + " could mean more than one key of application.properties: set it with -D");
                } else {
                    out.setProperty(key, value);
                }
            } else if (name.startsWith("STORES_")) {
                String problem = storeKey(name, storeIds, storeKeyNames, value, out);
                if (problem != null) {
                    refused.add(problem);
                }
            } else {
                out.setProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("environment variables the app cannot place: "
                    + String.join("; ", refused) + ". Store ids in the environment are lower case with '-' for '_'"
                    + " (STORES_BC_THIRD_PLATFORM defines store bc-third); see README, Settings");
        }
        return out;
    }

    /** Sets the store key {@code name} stands for, or says why it stands for none. */
    private static String storeKey(String name, Map<String, String> storeIds, Map<String, String> storeKeyNames,
                                   String value, Properties out) {
        String rest = name.substring("STORES_".length());
        String bestId = null;
        for (String envId : storeIds.keySet()) {
            if (rest.startsWith(envId + "_") && (bestId == null || envId.length() > bestId.length())) {
                bestId = envId;
            }
        }
        if (bestId == null) {
            return name + " names no store (no stores.<id>.platform in application.properties or -D, and no"
                    + " STORES_<ID>_PLATFORM in the environment matches it)";
        }
        String id = storeIds.get(bestId);
        if (id == null) {
            return name + " could belong to more than one store of application.properties: set it with -D";
        }
        String keyPart = rest.substring(bestId.length() + 1);
        if (!storeKeyNames.containsKey(keyPart)) {
            return name + " names no key a store has (store '" + id + "'): set it as -Dstores." + id
                    + ".<key> or in application.properties";
        }
        String key = storeKeyNames.get(keyPart);
        if (key == null) {
            return name + " could mean more than one key of store '" + id + "': set it with -D";
        }
        out.setProperty("stores." + id + "." + key, value);
        return null;
    }

    /** Keys by environment name; a name two keys share maps to null (the variable would be ambiguous). */
    private static Map<String, String> unambiguous(Collection<String> keys, String what) {
        Map<String, String> out = new TreeMap<>();
        for (String key : new TreeSet<>(keys)) {
            String n = envName(key);
            if (out.containsKey(n) && !key.equals(out.get(n))) {
                out.put(n, null);
            } else {
                out.put(n, key);
            }
        }
        return out;
    }

    static Set<String> storeKeysIn(Collection<String> fileKeys) {
        Set<String> out = new TreeSet<>();
        for (String key : fileKeys) {
            var m = Pattern.compile("stores\\.([A-Za-z0-9_-]+)\\.(.+)").matcher(key);
            if (m.matches()) {
                out.add(m.group(2));
            }
        }
        return out;
    }
}
