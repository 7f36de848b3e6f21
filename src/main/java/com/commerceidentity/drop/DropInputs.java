package com.commerceidentity.drop;

import com.commerceidentity.http.HttpProblem;
import com.commerceidentity.http.RequestHeaders;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.Surface;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * Works out what an export is (platform, store, where its rejects go) from where it was handed in:
 * {@code <inbox>/<platform>/<store>/<file>} or {@code POST /drop/<platform>/<store>}. The store must be configured
 * for that platform: a typo in a folder or URL would otherwise become a store of its own, and its accounts data.
 * Also guards the HTTP drop: bearer token and body size.
 */
public class DropInputs {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final Path inbox;
    private final Path dataDir;
    private final String dropToken;
    private final long maxBodyBytes;
    private final Clock clock;
    private final StoreRegistry stores;

    public DropInputs(Path inbox, Path dataDir, String dropToken, long maxBodyBytes, Clock clock, StoreRegistry stores) {
        this.stores = stores;
        this.inbox = inbox;
        this.dataDir = dataDir;
        this.dropToken = dropToken == null ? "" : dropToken.trim();
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public Path errorDir() {
        return inbox.resolve(".error");
    }

    /** For a file picked up from the inbox; the relative path must be {@code <platform>/<store>/<file>}. */
    public void forFile(Exchange exchange) {
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class).replace('\\', '/');
        String[] parts = relative.split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("file '" + relative + "' is not at inbox/<platform>/<store>/<file>;"
                    + " move it into the folder of its platform and store");
        }
        Platform platform = Platform.of(parts[0]);
        String store = storeId(parts[1]);
        Long length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class);
        if (length != null && length == 0) {
            throw new IllegalArgumentException("file '" + relative + "' is empty (0 bytes): nothing to ingest;"
                    + " write exports under a .tmp or .part name and rename them when complete");
        }
        configured(platform, store, "move the file into inbox/");
        DropInput input = new DropInput(UUID.randomUUID().toString(), platform, store, null, Surface.FILE,
                "file:" + relative, errorDir().resolve(relative + ".rejects.ndjson"));
        bind(exchange, input);
    }

    /**
     * Puts the input on the exchange. Its id also goes in a property of its own: the aggregator correlates
     * every record on it, and a plain property read is far cheaper than evaluating a bean path per record.
     */
    public static void bind(Exchange exchange, DropInput input) {
        exchange.setProperty(IngestHeaders.DROP_INPUT, input);
        exchange.setProperty(IngestHeaders.DROP_INPUT_ID, input.id());
        exchange.getMessage().setHeader(IngestHeaders.PLATFORM, input.platform().id());
    }

    /** The Content-Types the HTTP drop names when it refuses a form; any other non-form type is read as well. */
    static final java.util.List<String> ACCEPTED_TYPES = java.util.List.of("application/json", "application/x-ndjson");

    /** For {@code POST /drop/{platform}/{store}}: checks the token and the size, then describes the input. */
    public void forHttp(Exchange exchange) {
        checkToken(RequestHeaders.get(exchange, "Authorization"));
        Platform platform;
        try {
            platform = Platform.of(exchange.getMessage().getHeader("platform", String.class));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(404, e.getMessage());
        }
        String store;
        try {
            store = storeId(exchange.getMessage().getHeader("store", String.class));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        try {
            configured(platform, store, "send it to /drop/");
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(404, e.getMessage(), Map.of("store", store));
        }
        Long length = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (length != null && length > maxBodyBytes) {
            throw tooLarge(length);
        }
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        // The HTTP server reads a form body as form fields (curl -d sends one by default): nothing is left to ingest
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
            throw new HttpProblem(415, "Content-Type " + type + " is not accepted: send the export as "
                    + String.join(" or ", ACCEPTED_TYPES) + " (curl: --data-binary @file -H 'Content-Type: "
                    + ACCEPTED_TYPES.get(0) + "')", Map.of("accepted", ACCEPTED_TYPES));
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new HttpProblem(400, "empty body: send a JSON array, NDJSON or a platform list response",
                    Map.of("line", 1));
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge(body.length);
        }
        String stamp = STAMP.format(clock.instant());
        String id = UUID.randomUUID().toString();
        DropInput input = new DropInput(id, platform, store, null, Surface.HTTP,
                "http:/drop/" + platform.id() + "/" + store + "@" + stamp,
                dataDir.resolve("rejects").resolve("http").resolve(platform.id()).resolve(store)
                        .resolve(stamp + "-" + id.substring(0, 8) + ".rejects.ndjson"));
        bind(exchange, input);
        exchange.getMessage().setBody(body);
    }

    private HttpProblem tooLarge(long size) {
        return new HttpProblem(413, "body of " + size + " bytes exceeds the limit of " + maxBodyBytes
                + " bytes (app.drop.max-body-bytes); drop large exports into the inbox instead",
                Map.of("limit", maxBodyBytes));
    }

    /** Throws 401 unless {@code authorization} carries the drop token; checked before the body is read. */
    public void checkToken(String authorization) {
        if (dropToken.isEmpty()) {
            throw new HttpProblem(401, "HTTP drop is locked: no token is configured (set APP_DROP_TOKEN)");
        }
        String expected = "Bearer " + dropToken;
        if (authorization == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new HttpProblem(401, "missing or wrong bearer token");
        }
    }

    /** Throws unless {@code store} is configured, and for {@code platform}; the message says what to set. */
    private void configured(Platform platform, String store, String elsewhere) {
        StoreConfig config = stores.get(store).orElseThrow(() -> new IllegalArgumentException("store '" + store
                + "' is not configured: set stores." + store + ".platform = " + platform.id() + " and stores." + store
                + ".base-url (its API address; with stores." + store + ".sync.enabled = false for a store whose"
                + " exports are all we get) in application.properties, restart, then hand the export in again"));
        if (!config.platform().equals(platform)) {
            throw new IllegalArgumentException("store '" + store + "' is configured for " + config.platform().id()
                    + ", not " + platform.id() + ": " + elsewhere + config.platform().id() + "/" + store);
        }
    }

    private static String storeId(String store) {
        if (store == null || store.isBlank() || !store.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("store id '" + store + "' must be 1-100 letters, digits, '.', '_' or '-'");
        }
        return store;
    }
}
