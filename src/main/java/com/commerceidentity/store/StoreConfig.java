package com.commerceidentity.store;

import com.commerceidentity.model.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured store: {@code stores.<id>.*}. Secrets (token, password, api-key, webhook-secret) are held
 * here in memory only; {@link #describe()} is what may be shown or logged.
 *
 * @param settings every other {@code stores.<id>.<key>} value (surfaces, schedules, limits), by key
 */
public record StoreConfig(String id, Platform platform, String baseUrl, String token, String username,
                          String password, String apiKey, String webhookSecret, boolean sandbox,
                          Map<String, String> settings) {

    /**
     * Extra secrets (a SCIM token, a second key) may sit among the settings: never show their values. Matched
     * anywhere in the key and in any case, so a misspelt secret ({@code webhookSecret}, {@code client_secret_2})
     * that the store does not use is still hidden: it is a secret all the same.
     */
    private static final java.util.regex.Pattern SECRET_SETTING = java.util.regex.Pattern.compile(
            "token|secret|password|passwd|key|credential|authorization|signature|private", java.util.regex.Pattern.CASE_INSENSITIVE);
    /** {@code https://user:pass@host}: the password part of a URL's user info. */
    private static final java.util.regex.Pattern URL_PASSWORD = java.util.regex.Pattern.compile("^([a-z][a-z0-9+.-]*://[^/@]*?:)[^/@]*@",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    public StoreConfig {
        settings = Map.copyOf(settings);
    }

    /**
     * A key every store has: its own {@code stores.<id>.<key>}, else {@code app.store-defaults.<key>} (merged into
     * {@link #settings()} when the store was read).
     */
    public String setting(String key) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("stores." + id + "." + key + " is not set and " + StoreDefaults.PREFIX + key
                    + " gives no default; application.properties (the copy inside the jar too) lists every default");
        }
        return v.trim();
    }

    public StoreConfig withBaseUrl(String url) {
        return new StoreConfig(id, platform, url, token, username, password, apiKey, webhookSecret, sandbox, settings);
    }

    public StoreConfig withCredentials(String newToken, String newUsername, String newPassword, String newApiKey,
                                       String newWebhookSecret) {
        return new StoreConfig(id, platform, baseUrl, newToken, newUsername, newPassword, newApiKey,
                newWebhookSecret, sandbox, settings);
    }

    public StoreConfig withSettings(Map<String, String> newSettings) {
        return new StoreConfig(id, platform, baseUrl, token, username, password, apiKey, webhookSecret, sandbox,
                newSettings);
    }

    /** The store as ops may see it: which secrets are set, never their values. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("platform", platform.id());
        out.put("baseUrl", withoutPassword(baseUrl));
        out.put("sandbox", sandbox);
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("token", token == null ? "missing" : "set");
        credentials.put("username", username == null ? "missing" : username);
        credentials.put("password", password == null ? "missing" : "set");
        credentials.put("apiKey", apiKey == null ? "missing" : "set");
        credentials.put("webhookSecret", webhookSecret == null ? "missing" : "set");
        out.put("credentials", credentials);
        Map<String, String> shown = new LinkedHashMap<>();
        settings.forEach((k, v) -> shown.put(k, SECRET_SETTING.matcher(k).find() ? "set" : withoutPassword(v)));
        out.put("settings", shown);
        return out;
    }

    /** A URL with its password replaced by {@code xxxxxx}; anything else unchanged. */
    public static String withoutPassword(String value) {
        return value == null ? null : URL_PASSWORD.matcher(value).replaceFirst("$1xxxxxx@");
    }

    @Override
    public String toString() {
        return "StoreConfig" + describe();
    }
}
