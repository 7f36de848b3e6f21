package com.commerceidentity.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new user reads once the service is up: where it listens (the address it binds, not Camel's summary,
 * which always says 0.0.0.0), where the feed is, and what to try next. Camel's own endpoint summary is silenced in
 * simplelogger.properties; GET /openapi.json lists every endpoint.
 */
final class ReadyBanner implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger("commerce-identity-feed");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Map<String, Integer> bound = new HashMap<>();
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer() && router.getServer() != null && router.getServer().getServer() != null) {
                bound.put("camel.server", router.getServer().getPort());
            }
        }
        // the management server's router is not in the registry; its service knows it
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null && management.getRouter() != null && management.getRouter().getServer() != null) {
            bound.put("camel.management", management.getRouter().getServer().getPort());
        }
        LOG.info(text(context.getPropertiesComponent(), bound));
    }

    /** @param bound the ports the servers listen on, by settings prefix (port 0 in the settings: one the OS chose) */
    static String text(PropertiesComponent p, Map<String, Integer> bound) {
        String api = base(p, "camel.server", bound);
        String management = base(p, "camel.management", bound);
        Path feed = Path.of(p.resolveProperty("app.data-dir").orElse("data")).resolve("feed").toAbsolutePath();
        boolean tokens = p.resolveProperty("app.api.read-token").filter(t -> !t.isBlank()).isPresent();
        String auth = tokens ? "-H \"Authorization: Bearer $APP_API_READ_TOKEN\" " : "";
        StringBuilder s = new StringBuilder("ready.\n");
        if (api != null) {
            s.append("  status page   ").append(api).append("/\n")
                    .append("  the feed      curl ").append(auth).append("'").append(api).append("/feed?after=0&limit=5'\n")
                    .append("  a look-up     curl ").append(auth).append("'").append(api)
                    .append("/identities?email=<an email from the feed>'\n")
                    .append("  drop a file   curl -H \"Authorization: Bearer $APP_DROP_TOKEN\" -H 'Content-Type:")
                    .append(" application/x-ndjson' --data-binary @customers.ndjson ").append(api)
                    .append("/drop/<platform>/<store>\n")
                    .append("  every endpoint ").append(api).append("/openapi.json\n");
        }
        s.append("  feed files    ").append(feed).append('\n')
                .append("  inbox         ").append(Path.of(p.resolveProperty("app.inbox-dir").orElse("inbox"))
                        .toAbsolutePath()).append("/<platform>/<store>/<file>\n");
        if (management != null) {
            s.append("  health        ").append(management).append("/observe/health/ready   metrics ")
                    .append(management).append("/observe/metrics\n");
        }
        return s.append("  (docs/operations.md)").toString();
    }

    /** http://host:port as bound; null when that server is off. */
    private static String base(PropertiesComponent p, String prefix, Map<String, Integer> bound) {
        if (!Boolean.parseBoolean(p.resolveProperty(prefix + ".enabled").orElse("false"))) {
            return null;
        }
        String host = p.resolveProperty(prefix + ".host").orElse("0.0.0.0").trim();
        String port = bound.containsKey(prefix) ? bound.get(prefix).toString()
                : p.resolveProperty(prefix + ".port").orElse("8080").trim();
        boolean ssl = prefix.equals("camel.server")
                && Boolean.parseBoolean(p.resolveProperty("camel.server.use-global-ssl-context-parameters").orElse("false"));
        String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (ssl ? "https://" : "http://") + shown + ":" + port;
    }
}
